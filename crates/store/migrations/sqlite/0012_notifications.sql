-- SL-6 (issue 15): every warning and breach the timers record, one row each, so the leads'
-- escalation list and the reports read them without parsing the log; and what each member of
-- staff named by one is told in the workspace (read or not). Alerts recorded before this
-- migration stay in the log only (their due times are inside the events' JSON).
CREATE TABLE sla_alerts (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id  BIGINT NOT NULL REFERENCES tickets(id),
    kind       TEXT NOT NULL,
    clock      TEXT NOT NULL,
    due_at     BIGINT NOT NULL,
    department TEXT NOT NULL,
    at         BIGINT NOT NULL
);
-- A lead's list (their department, newest first) and the count per department and period.
CREATE INDEX sla_alerts_department ON sla_alerts(department, at);
CREATE INDEX sla_alerts_at ON sla_alerts(at);

CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    staff_id   BIGINT NOT NULL REFERENCES staff(id),
    alert_id   BIGINT NOT NULL REFERENCES sla_alerts(id),
    created_at BIGINT NOT NULL,
    read_at    BIGINT
);
-- A person's notifications newest first, and their unread count.
CREATE INDEX notifications_staff ON notifications(staff_id, id);

