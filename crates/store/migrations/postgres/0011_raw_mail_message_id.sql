-- A second message may reuse an earlier one's Message-ID (a broken client, a template that
-- copies headers). Only an identical copy is a duplicate, so every stored message under an id
-- is found by it and compared (CH-7, issue 15).
CREATE INDEX raw_mail_message_id ON raw_mail(message_id);
