#!/usr/bin/env python3
"""Builds the partial-load floor's tar: a `docker load` tar of one image that carries the image config, the
manifest and ONLY the changed (last) layer's file. The other layers are named in manifest.json but their files
are omitted: dockerd looks layers up by chain ID before opening a file, so it never asks for layers it holds.

  partial_load.py <docker-save.tar> <out.tar> <repo:tag> <nonce>

The last layer of the saved image is rewritten with one file changed (a line with <nonce> appended to the first
member whose name ends in CHANGED_SUFFIX), so every tar carries a layer the daemon does not hold yet and the
load really reads, registers and extracts it - the bytes that must cross for a one-file change.
"""
import hashlib
import io
import json
import sys
import tarfile

CHANGED_SUFFIX = "assets/index.js"


def main(saved, out, tag, nonce):
    with tarfile.open(saved) as t:
        manifest = json.load(t.extractfile("manifest.json"))[0]
        config = json.load(t.extractfile(manifest["Config"]))
        layers = list(manifest["Layers"])
        last = t.extractfile(layers[-1]).read()

    src = tarfile.open(fileobj=io.BytesIO(last))
    buf = io.BytesIO()
    changed = False
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as dst:
        for m in src.getmembers():
            data = src.extractfile(m).read() if m.isfile() else None
            if m.isfile() and not changed and m.name.endswith(CHANGED_SUFFIX):
                data += ("// partial-load floor " + nonce + "\n").encode()
                m.size = len(data)
                changed = True
            dst.addfile(m, io.BytesIO(data) if data is not None else None)
    if not changed:
        sys.exit("partial_load.py: no member ending in %s in the last layer of %s" % (CHANGED_SUFFIX, saved))
    layer = buf.getvalue()
    diff_id = "sha256:" + hashlib.sha256(layer).hexdigest()
    config["rootfs"]["diff_ids"][-1] = diff_id
    config_bytes = json.dumps(config, separators=(",", ":")).encode()
    config_name = hashlib.sha256(config_bytes).hexdigest() + ".json"
    layer_name = diff_id[len("sha256:"):] + "/layer.tar"
    layers[-1] = layer_name
    new_manifest = json.dumps([{"Config": config_name, "RepoTags": [tag], "Layers": layers}]).encode()

    with tarfile.open(out, "w") as o:
        for name, data in (("manifest.json", new_manifest), (config_name, config_bytes), (layer_name, layer)):
            if "/" in name:
                d = tarfile.TarInfo(name.split("/")[0])
                d.type = tarfile.DIRTYPE
                d.mode = 0o755
                o.addfile(d)
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o644
            o.addfile(info, io.BytesIO(data))
    print("%s: %d layers named, 1 sent (%d bytes), %s" % (out, len(layers), len(layer), diff_id[:19]))


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(*sys.argv[1:])
