-- Known contacts of a ticket (issue 4, CH-1): addresses besides the customer's whose mail may
-- thread into the ticket — those the customer put in Cc of the mail that opened it, or those
-- an agent added. Mail from anyone else still opens a new ticket.
CREATE TABLE ticket_contacts (
    ticket_id BIGINT NOT NULL REFERENCES tickets(id),
    -- Lower case, as compared.
    email     TEXT NOT NULL,
    -- `mail` (in Cc of the first mail) or `staff:<id>` (added by that member of staff).
    added_by  TEXT NOT NULL,
    added_at  BIGINT NOT NULL,
    PRIMARY KEY (ticket_id, email)
);
CREATE INDEX ticket_contacts_email ON ticket_contacts(email);
