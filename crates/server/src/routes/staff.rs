//! `GET /api/v1/staff`, `POST /api/v1/staff`, `PATCH /api/v1/staff/{id}`: administrators list
//! staff, add a member and change a role, a department or whether a person is active (issue
//! 14). Anyone else is 403. Disabling ends the person's sessions and tokens at once.
//! `GET /api/v1/staff/audit`: the record of these changes, who did what to whom and when
//! (issue 16).

use crate::AppState;
use crate::auth::CurrentStaff;
use crate::body::{Fields, ReadBody, Valid};
use crate::error::{ApiError, ApiResult, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use hotro_app::staff_admin::{MemberChange, NewMember};
use hotro_core::Role;
use hotro_store::{AuditEntry, StaffAccount};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Managing staff.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_staff, add_staff))
        .routes(routes!(change_staff))
        .routes(routes!(reset_password))
        .routes(routes!(staff_audit))
}

/// A member of staff as an administrator sees them.
#[derive(Serialize, ToSchema)]
pub struct StaffAccountDto {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub department: String,
    /// `agent`, `lead`, `admin` or `general`.
    pub role: String,
    /// False when disabled: no sign-in, no token.
    pub active: bool,
}

impl From<StaffAccount> for StaffAccountDto {
    fn from(a: StaffAccount) -> Self {
        StaffAccountDto {
            id: a.member.id,
            email: a.member.email,
            name: a.member.name,
            department: a.member.department,
            role: a.member.role.as_str().into(),
            active: a.active,
        }
    }
}

/// A member of staff just added, with the generated password shown this once.
#[derive(Serialize, ToSchema)]
pub struct AddedStaffDto {
    #[serde(flatten)]
    pub staff: StaffAccountDto,
    /// The generated password, when none was given; it is not shown again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

/// Every member of staff, active or not, by e-mail.
#[utoipa::path(
    get, path = "/api/v1/staff", tag = "session",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The staff, by e-mail", body = [StaffAccountDto]),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an administrator", body = ErrorBody),
    )
)]
pub async fn list_staff(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
) -> ApiResult<Json<Vec<StaffAccountDto>>> {
    let accounts = state
        .staff_list(&staff)
        .await
        .map_err(|e| ApiError::from_app(e, &state.policy))?;
    Ok(Json(accounts.into_iter().map(Into::into).collect()))
}

/// A member of staff to add.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddStaffBody {
    pub email: String,
    pub name: String,
    /// A department of the policy.
    pub department: String,
    /// `agent`, `lead`, `admin` or `general`.
    #[schema(value_type = String)]
    pub role: Option<Role>,
    /// At least 10 characters; generated and returned once when absent.
    pub password: Option<String>,
}

impl ReadBody for AddStaffBody {
    fn read(f: &mut Fields) -> Self {
        AddStaffBody {
            email: f.string("email").unwrap_or_default(),
            name: f.string("name").unwrap_or_default(),
            department: f.string("department").unwrap_or_default(),
            role: f.required_vocabulary("role", Role::parse),
            password: f.string("password"),
        }
    }
}

/// Adds a member of staff. The body's shape (unknown fields, types, the role) is judged
/// first; then every rule broken by its values (address, name, department, password, an
/// address in use) is listed in one 422.
#[utoipa::path(
    post, path = "/api/v1/staff", tag = "session",
    request_body = AddStaffBody,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 201, description = "Added", body = AddedStaffDto),
        (status = 400, description = "Not JSON, or not an object", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an administrator", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
        (status = 422, description = "Fields missing or invalid, each named (`staff.email_taken` for an address in use)", body = ErrorBody),
    )
)]
pub async fn add_staff(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
    Valid(body): Valid<AddStaffBody>,
) -> ApiResult<(StatusCode, Json<AddedStaffDto>)> {
    let new = NewMember {
        email: body.email,
        name: body.name,
        department: body.department,
        role: body.role.expect("a valid body has a role"),
        password: body.password,
    };
    let (account, password) = state
        .add_staff_member(&staff, new)
        .await
        .map_err(|e| ApiError::from_app(e, &state.policy))?;
    Ok((
        StatusCode::CREATED,
        Json(AddedStaffDto {
            staff: account.into(),
            password,
        }),
    ))
}

/// What to change about a member of staff; absent fields stay as they are.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeStaffBody {
    /// `agent`, `lead`, `admin` or `general`.
    #[schema(value_type = Option<String>)]
    pub role: Option<Role>,
    /// A department of the policy.
    pub department: Option<String>,
    /// False disables the person: their sessions and tokens end at once.
    pub active: Option<bool>,
}

impl ReadBody for ChangeStaffBody {
    fn read(f: &mut Fields) -> Self {
        ChangeStaffBody {
            role: f.vocabulary("role", Role::parse),
            department: f.string("department"),
            active: f.boolean("active"),
        }
    }
}

/// Changes a member of staff's role, department or whether they are active. The last active
/// administrator cannot be demoted or disabled (422 naming the field, nothing changed).
#[utoipa::path(
    patch, path = "/api/v1/staff/{id}", tag = "session",
    params(("id" = i64, Path, description = "The member of staff's id")),
    request_body = ChangeStaffBody,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "Changed; the member of staff now", body = StaffAccountDto),
        (status = 400, description = "Not JSON, or not an object", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an administrator", body = ErrorBody),
        (status = 404, description = "No member of staff has this id", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
        (status = 422, description = "Fields invalid, each named (`staff.last_admin` when no active administrator would be left)", body = ErrorBody),
    )
)]
pub async fn change_staff(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
    Path(id): Path<String>,
    Valid(body): Valid<ChangeStaffBody>,
) -> ApiResult<Json<StaffAccountDto>> {
    // Not a number names nobody: 404 as for an id that does not exist.
    let id = id.parse::<i64>().map_err(|_| ApiError::NotFound)?;
    let change = MemberChange {
        role: body.role,
        department: body.department,
        active: body.active,
    };
    let account = state
        .change_staff_member(&staff, id, change)
        .await
        .map_err(|e| ApiError::from_app(e, &state.policy))?;
    Ok(Json(account.into()))
}

/// A new password for a member of staff: the one given, or one generated.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetPasswordBody {
    /// The new password (checked for strength); absent: one is generated and shown once.
    pub password: Option<String>,
}

impl ReadBody for ResetPasswordBody {
    fn read(f: &mut Fields) -> Self {
        ResetPasswordBody {
            password: f.string("password"),
        }
    }
}

/// The member of staff whose password was reset, and the generated one, shown this once.
#[derive(Serialize, ToSchema)]
pub struct PasswordResetDto {
    #[serde(flatten)]
    pub staff: StaffAccountDto,
    /// The generated password, when none was given; it is not shown again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

/// Resets a member of staff's password: their sessions end, the change is recorded with who
/// made it (issue 16). Administrators only.
#[utoipa::path(
    post, path = "/api/v1/staff/{id}/password", tag = "session",
    params(("id" = i64, Path, description = "The member of staff's id")),
    request_body = ResetPasswordBody,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "Reset; the generated password, if one was generated", body = PasswordResetDto),
        (status = 400, description = "Not JSON, or not an object", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an administrator", body = ErrorBody),
        (status = 404, description = "No member of staff has this id", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
        (status = 422, description = "The password given is too weak, named with its rule", body = ErrorBody),
    )
)]
pub async fn reset_password(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
    Path(id): Path<String>,
    Valid(body): Valid<ResetPasswordBody>,
) -> ApiResult<Json<PasswordResetDto>> {
    let id = id.parse::<i64>().map_err(|_| ApiError::NotFound)?;
    let given = body.password.is_some();
    let (account, password) = state
        .reset_staff_password(&staff, id, body.password)
        .await
        .map_err(|e| ApiError::from_app(e, &state.policy))?;
    Ok(Json(PasswordResetDto {
        staff: account.into(),
        password: (!given).then_some(password),
    }))
}

/// One recorded change to a member of staff or a token.
#[derive(Serialize, ToSchema)]
pub struct StaffAuditDto {
    pub id: i64,
    /// RFC 3339, UTC.
    pub at: String,
    /// The e-mail of the administrator who made the change; absent for the operator at the
    /// command line (`hotro user …`, `hotro token …`).
    pub actor: Option<String>,
    /// `staff.added`, `staff.role`, `staff.department`, `staff.disabled`, `staff.enabled`,
    /// `staff.password_reset`, `token.created` or `token.revoked`.
    pub action: String,
    /// The e-mail of the member of staff changed, or of the token's owner.
    pub target: String,
    /// The token's id, for `token.*`.
    pub token_id: Option<i64>,
    /// Values only: `role, department` when added, `old → new` for a role or department,
    /// `scope: label` for a token made, the label for one revoked. Never a password or secret.
    pub detail: String,
}

impl From<AuditEntry> for StaffAuditDto {
    fn from(e: AuditEntry) -> Self {
        StaffAuditDto {
            id: e.id,
            at: e.at.to_string(),
            actor: e.actor.map(|a| a.email),
            action: e.action.as_str().into(),
            target: e.target.email,
            token_id: e.token_id,
            detail: e.detail,
        }
    }
}

/// The newest changes to staff and tokens (at most 500), newest first: who did what to whom,
/// and when. For administrators; anyone else is 403 (`admin_only`).
#[utoipa::path(
    get, path = "/api/v1/staff/audit", tag = "session",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The recorded changes, newest first", body = [StaffAuditDto]),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an administrator (`admin_only`)", body = ErrorBody),
    )
)]
pub async fn staff_audit(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
) -> ApiResult<Json<Vec<StaffAuditDto>>> {
    let entries = state
        .staff_audit(&staff)
        .await
        .map_err(|e| ApiError::from_app(e, &state.policy))?;
    Ok(Json(entries.into_iter().map(Into::into).collect()))
}
