-- Runs once, on an empty data directory (docker-entrypoint-initdb.d of the postgres image).
-- POSTGRES_DB=r2r_db usually creates the database already; this also covers images started without it.
SELECT 'CREATE DATABASE r2r_db'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'r2r_db')\gexec

\connect r2r_db
CREATE EXTENSION IF NOT EXISTS vector;
