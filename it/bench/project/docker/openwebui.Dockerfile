# Same base and same layer as the llmstack and jib columns; context: files/openwebui
FROM 127.0.0.1:5000/open-webui/open-webui:v0.6.5
COPY . /app/llmstack
ENV PORT=8080
EXPOSE 8080
