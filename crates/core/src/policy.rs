//! The company's service policy: departments and topics, routing defaults, reply strings.
//!
//! The policy is one versioned TOML file (PL-1). Parsing it is pure: the caller reads the
//! file and hands over its text. The built-in default encodes the seed documents.

use crate::kinds::Kind;
use serde::Deserialize;

/// The built-in policy's source text.
pub const DEFAULT_POLICY_TOML: &str = include_str!("../policy/default.toml");

/// The effective service policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub version: String,
    pub name: String,
    pub ticket_code_prefix: String,
    pub reply: ReplyStrings,
    pub routing: Routing,
    pub departments: Vec<Department>,
}

/// RP-2's exact words.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplyStrings {
    pub greeting: String,
    pub closing: String,
}

/// Default department by kind, used when no topic decides.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Routing {
    pub request: String,
    pub complaint: String,
    pub feedback: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Department {
    pub id: String,
    pub name: String,
    pub name_en: String,
    #[serde(default)]
    pub topics: Vec<Topic>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Topic {
    pub id: String,
    pub name: String,
    pub name_en: String,
}

/// Why a policy file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct PolicyError(pub String);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyFile {
    version: String,
    name: String,
    ticket_code_prefix: String,
    reply: ReplyStrings,
    routing: Routing,
    departments: Vec<Department>,
}

impl Policy {
    /// The built-in policy (seeds 000–004).
    pub fn builtin() -> Policy {
        Policy::from_toml(DEFAULT_POLICY_TOML).expect("the built-in policy is valid")
    }

    /// Parses and checks a policy file's text.
    pub fn from_toml(text: &str) -> Result<Policy, PolicyError> {
        let file: PolicyFile = toml::from_str(text).map_err(|e| PolicyError(e.to_string()))?;
        let policy = Policy {
            version: file.version,
            name: file.name,
            ticket_code_prefix: file.ticket_code_prefix,
            reply: file.reply,
            routing: file.routing,
            departments: file.departments,
        };
        policy.check()?;
        Ok(policy)
    }

    fn check(&self) -> Result<(), PolicyError> {
        let prefix_ok = !self.ticket_code_prefix.is_empty()
            && self.ticket_code_prefix.len() <= 8
            && self
                .ticket_code_prefix
                .chars()
                .all(|c| c.is_ascii_uppercase());
        if !prefix_ok {
            return Err(PolicyError(
                "ticket_code_prefix: 1 to 8 capital letters A-Z".into(),
            ));
        }
        if self.reply.greeting.trim().is_empty() {
            return Err(PolicyError("reply.greeting: must not be empty".into()));
        }
        let mut seen_departments = std::collections::HashSet::new();
        let mut seen_topics = std::collections::HashSet::new();
        for d in &self.departments {
            if !seen_departments.insert(d.id.as_str()) {
                return Err(PolicyError(format!("departments: duplicate id {:?}", d.id)));
            }
            for t in &d.topics {
                if !seen_topics.insert(t.id.as_str()) {
                    return Err(PolicyError(format!(
                        "departments.topics: topic {:?} belongs to two departments",
                        t.id
                    )));
                }
            }
        }
        for (field, dept) in [
            ("routing.request", &self.routing.request),
            ("routing.complaint", &self.routing.complaint),
            ("routing.feedback", &self.routing.feedback),
        ] {
            if self.department(dept).is_none() {
                return Err(PolicyError(format!("{field}: unknown department {dept:?}")));
            }
        }
        Ok(())
    }

    pub fn department(&self, id: &str) -> Option<&Department> {
        self.departments.iter().find(|d| d.id == id)
    }

    /// The department that owns `topic` (RT-2).
    pub fn department_of_topic(&self, topic: &str) -> Option<&Department> {
        self.departments
            .iter()
            .find(|d| d.topics.iter().any(|t| t.id == topic))
    }

    /// Where a ticket of `kind` goes when no topic decides.
    pub fn default_department(&self, kind: Kind) -> &str {
        match kind {
            Kind::Request => &self.routing.request,
            Kind::Complaint => &self.routing.complaint,
            Kind::Feedback => &self.routing.feedback,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_policy_encodes_the_seeds() {
        let p = Policy::builtin();
        assert_eq!(p.reply.greeting, "Kính thưa quý khách");
        assert_eq!(
            p.reply.closing,
            "Cám ơn quý khách đã quan tâm đến sản phẩm và dịch vụ của chúng tôi"
        );
        let ids: Vec<&str> = p.departments.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["sales", "technical", "design", "customer", "other"]);
        assert_eq!(
            p.department_of_topic("hosting_domain").unwrap().id,
            "technical"
        );
        assert_eq!(p.default_department(Kind::Complaint), "customer");
    }

    #[test]
    fn bad_policies_are_refused_with_the_field() {
        let broken =
            DEFAULT_POLICY_TOML.replace("complaint = \"customer\"", "complaint = \"legal\"");
        let err = Policy::from_toml(&broken).unwrap_err();
        assert!(err.0.contains("routing.complaint"), "{err}");
        let err = Policy::from_toml("version = 1").unwrap_err();
        assert!(err.0.contains("version"), "{err}");
    }
}
