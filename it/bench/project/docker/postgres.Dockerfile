# Same base and same layer as the llmstack and jib columns; context: files/postgres/initdb
FROM 127.0.0.1:5000/pgvector/pgvector:pg16
COPY . /docker-entrypoint-initdb.d
EXPOSE 5432
