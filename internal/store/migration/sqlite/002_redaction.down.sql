ALTER TABLE client DROP COLUMN aadhaar_last4_only;
ALTER TABLE document DROP COLUMN redacted_key;
