DROP TABLE document;
DROP TABLE batch;
DROP TABLE client;
