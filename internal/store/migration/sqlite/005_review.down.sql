DROP TABLE correction;
ALTER TABLE document DROP COLUMN boxes;
