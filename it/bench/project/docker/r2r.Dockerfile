# Same base and same layer as the llmstack and jib columns; context: files/r2r
FROM 127.0.0.1:5000/sciphiai/r2r:3.5.14
COPY . /app
ENV R2R_CONFIG_PATH=/app/r2r.toml
EXPOSE 7272
