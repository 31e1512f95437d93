DROP TABLE callback_attempt;
DROP TABLE callback;
ALTER TABLE client DROP COLUMN callback_secret;
ALTER TABLE document DROP COLUMN submission_mode;
DROP INDEX batch_flow;
ALTER TABLE batch DROP COLUMN flow_id;
DROP INDEX flow_open;
DROP TABLE flow;
