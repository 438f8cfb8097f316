//! Reading a form that may carry files (CH-6 evidence): text fields, and files checked by
//! their content and named safely — held, not stored: they are stored in the commit of the
//! ticket or message that names them, so a form the rules refuse leaves nothing behind.

use axum::extract::Multipart;
use axum::extract::multipart::MultipartRejection;
use hotro_core::FieldError;
use hotro_core::attachment::{Attachment, limits, sha256_hex, sniff};
use hotro_store::NewFile;
use std::collections::HashMap;

/// The largest multipart body accepted: every file at its limit plus the text fields.
pub const MAX_FORM_BYTES: usize = limits::TOTAL_BYTES + 1024 * 1024;

/// A form's text fields and its checked files, or the reasons they were refused.
pub struct Upload {
    pub fields: HashMap<String, String>,
    pub files: Vec<NewFile>,
    pub errors: Vec<FieldError>,
}

/// The records of checked files, as the rules and the commands name them.
pub fn records(files: &[NewFile]) -> Vec<Attachment> {
    files.iter().map(|f| f.attachment.clone()).collect()
}

/// Reads every part; files are named `attachments`. A file of a forbidden type or over the
/// limits is refused with the rule that says why. The form's first field
/// must be `_csrf` with the expected token: a forged form is dropped (`None`) before any
/// file of it is stored.
pub async fn read(multipart: Result<Multipart, MultipartRejection>, csrf: &str) -> Option<Upload> {
    // Genuine forms always send multipart; anything else is not one of our forms.
    let mut multipart = multipart.ok()?;
    let mut upload = Upload {
        fields: HashMap::new(),
        files: Vec::new(),
        errors: Vec::new(),
    };
    let first = multipart.next_field().await.ok()??;
    if first.name() != Some("_csrf") || first.file_name().is_some() {
        return None;
    }
    let token = first.text().await.ok()?;
    if csrf.is_empty() || !super::csrf::matches(csrf, Some(&token)) {
        return None;
    }
    let refuse = |errors: &mut Vec<FieldError>, rule: &str| {
        if !errors.iter().any(|e| e.rule == rule) {
            errors.push(FieldError::new("attachments", rule));
        }
    };
    let mut total = 0usize;
    let mut count = 0usize;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                tracing::info!(error = %e, "multipart form could not be read");
                refuse(&mut upload.errors, "file.too_large");
                break;
            }
        };
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let Ok(bytes) = field.bytes().await else {
            refuse(&mut upload.errors, "file.too_large");
            break;
        };
        match file_name {
            // A file input left empty still sends an empty part.
            Some(original) if name == "attachments" && !bytes.is_empty() => {
                count += 1;
                total += bytes.len();
                if count > limits::FILES {
                    refuse(&mut upload.errors, "file.too_many");
                    continue;
                }
                if bytes.len() > limits::FILE_BYTES || total > limits::TOTAL_BYTES {
                    refuse(&mut upload.errors, "file.too_large");
                    continue;
                }
                let Some(content_type) = sniff(&bytes) else {
                    refuse(&mut upload.errors, "file.type");
                    continue;
                };
                let content = bytes.to_vec();
                upload.files.push(NewFile {
                    attachment: Attachment {
                        sha256: sha256_hex(&content),
                        name: hotro_mail::safe_filename(&original),
                        content_type: content_type.to_owned(),
                        size: content.len() as u64,
                    },
                    content,
                });
            }
            Some(_) => {}
            None => {
                upload
                    .fields
                    .insert(name, String::from_utf8_lossy(&bytes).into_owned());
            }
        }
    }
    Some(upload)
}
