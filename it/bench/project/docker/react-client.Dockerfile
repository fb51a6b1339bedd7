# Same base and same layer as the llmstack and jib columns; context: files/react-client/dist
FROM 127.0.0.1:5000/library/nginx:1.27-alpine
COPY . /usr/share/nginx/html
EXPOSE 3000
