# Same base and same layer as the llmstack and jib columns; context: files/litellm
FROM 127.0.0.1:5000/berriai/litellm:main-v1.63.14
COPY . /app
CMD ["--config", "/app/config.yaml", "--port", "4000"]
EXPOSE 4000
