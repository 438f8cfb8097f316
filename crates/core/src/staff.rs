//! Members of staff, their roles, and which departments' tickets they may see (RT-4), with
//! the holiday duty that widens that on a department's days off (seed 001).

use crate::kinds::Priority;
use serde::{Deserialize, Serialize};

/// What a member of staff may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Works the tickets of their own department.
    Agent,
    /// Department lead: an agent who also receives escalations (SL-6).
    Lead,
    /// Runs the installation; sees every department.
    Admin,
    /// General staff ("nhân viên xử lý chung", seed 001): on working days they work their own
    /// department; the policy's `[duty]` puts them on duty on other departments' days off.
    General,
}

impl Role {
    pub const ALL: &'static [Role] = &[Role::Agent, Role::Lead, Role::Admin, Role::General];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Agent => "agent",
            Role::Lead => "lead",
            Role::Admin => "admin",
            Role::General => "general",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.iter().copied().find(|r| r.as_str() == text)
    }

    /// Whether this role reaches across departments every day: only an administrator's. On
    /// a department's days off the policy's duty roles cover its urgent work ([`Cover`]).
    pub fn sees_all_departments(self) -> bool {
        matches!(self, Role::Admin)
    }
}

/// What an API token may be used for (issue 14). A staff token acts as its owner on every
/// staff endpoint; a mail-intake token may only post inbound mail, so a gateway's secret
/// cannot read tickets and a member of staff cannot post mail as a customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenScope {
    Staff,
    MailInbound,
}

impl TokenScope {
    pub const ALL: &'static [TokenScope] = &[TokenScope::Staff, TokenScope::MailInbound];

    pub fn as_str(self) -> &'static str {
        match self {
            TokenScope::Staff => "staff",
            TokenScope::MailInbound => "mail-inbound",
        }
    }

    pub fn parse(text: &str) -> Option<TokenScope> {
        TokenScope::ALL.iter().copied().find(|s| s.as_str() == text)
    }
}

/// A member of staff as the rules see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffMember {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub department: String,
    pub role: Role,
    /// Other departments' tickets they cover today on holiday duty; empty unless the policy
    /// puts their role on duty and a department is off (filled in per request, never stored).
    pub cover: Cover,
}

/// What a member of staff on holiday duty covers beyond their own department (seed 001: "các
/// dịp lễ, tết chỉ có nhân viên xử lý chung"): the tickets of `priorities` in `departments`,
/// the departments that are off at the moment it was worked out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cover {
    pub departments: Vec<String>,
    pub priorities: Vec<Priority>,
}

impl Cover {
    pub fn covers(&self, department: &str, priority: Priority) -> bool {
        self.priorities.contains(&priority) && self.departments.iter().any(|d| d == department)
    }
}

impl StaffMember {
    /// RT-4: staff work only their own department's tickets, unless their role spans all.
    pub fn may_handle(&self, department: &str) -> bool {
        self.role.sees_all_departments() || self.department == department
    }

    /// RT-4 with holiday duty: their own department's tickets, and on its days off another
    /// department's tickets their duty covers (seed 001).
    pub fn may_handle_ticket(&self, department: &str, priority: Priority) -> bool {
        self.may_handle(department) || self.cover.covers(department, priority)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The scope names are what `hotro token create --scope` takes and what is stored: each
    /// reads back as itself, and nothing else (a near miss such as `mail`) is a scope.
    #[test]
    fn token_scopes_read_back_and_near_misses_are_refused() {
        for scope in TokenScope::ALL {
            assert_eq!(TokenScope::parse(scope.as_str()), Some(*scope));
        }
        assert_eq!(
            TokenScope::parse("mail-inbound"),
            Some(TokenScope::MailInbound)
        );
        for wrong in ["mail", "Staff", "", "mail_inbound"] {
            assert_eq!(TokenScope::parse(wrong), None, "{wrong}");
        }
    }
}
