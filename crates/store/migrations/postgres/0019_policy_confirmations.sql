-- PL-3: who confirmed having read which policy version, and when.
CREATE TABLE policy_confirmations (
    staff_id     BIGINT NOT NULL REFERENCES staff(id),
    version      TEXT NOT NULL,
    confirmed_at BIGINT NOT NULL,
    PRIMARY KEY (staff_id, version)
);
