DROP TABLE callback_attempt;
DROP TABLE callback;
DROP TABLE document;
DROP TABLE batch;
DROP TABLE flow;
DROP TABLE client;
