-- Issue 16: one person found again across channels. The keys are `hotro_core::contact`'s
-- (e-mail in full Unicode lower case, a phone's national digits), written by the store, so
-- both backends compare the same values; rows from before are filled in when the store opens.
ALTER TABLE customers ADD COLUMN email_key TEXT;
ALTER TABLE customers ADD COLUMN phone_key TEXT;
CREATE INDEX customers_email_key ON customers(email_key) WHERE email_key IS NOT NULL;
CREATE INDEX customers_phone_key ON customers(phone_key) WHERE phone_key IS NOT NULL;
