//! `/agent/admin/staff`: every member of staff with their department, role, whether they may
//! sign in and when they last did; a form to add a person; per person, forms to change role
//! and department, to disable or enable, and to reset the password. A generated password is
//! shown once, on the answer to the form that made it, and kept nowhere in the clear.

use super::{Refusal, admin, admin_post, failed, id_of, refusal};
use crate::AppState;
use crate::i18n::Tr;
use crate::web::agent::department::department_name;
use crate::web::agent::session::Session;
use crate::web::form::FormState;
use crate::web::page::not_found_page;
use crate::web::page::{lang_url, local_time, respond};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, State};
use axum::http::header::LOCATION;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use hotro_app::staff_admin::{MemberChange, NewMember};
use hotro_core::{FieldError, Role};
use std::collections::HashMap;

/// A member of staff as listed, with the values of their row's forms.
pub struct Person {
    id: i64,
    email: String,
    name: String,
    active: bool,
    last_sign_in: String,
    /// The administrator reading the page: their own row offers no disabling.
    me: bool,
    /// Their row's forms: current role and department, or what was just submitted with the
    /// errors beside each field.
    form: FormState,
}

/// A password shown once.
pub struct Shown {
    heading: String,
    password: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_staff.html")]
struct StaffPage {
    t: Tr,
    lang_url: String,
    staff_name: String,
    csrf: String,
    admin: bool,
    /// Whether the header shows the lead's desk (issue 16).
    desk: bool,
    people: Vec<Person>,
    departments: Vec<(String, String)>,
    roles: Vec<(&'static str, String)>,
    /// The add form: defaults, or what was submitted with its errors.
    add: FormState,
    /// What the last change did (empty: nothing).
    done: String,
    shown: Option<Shown>,
}

/// What to show beside the list.
#[derive(Default)]
struct View {
    add: Option<FormState>,
    /// A row's submitted form with its errors.
    row: Option<(i64, HashMap<String, String>, Vec<FieldError>)>,
    done: String,
    shown: Option<Shown>,
}

async fn render(
    state: &AppState,
    uri: &Uri,
    t: Tr,
    session: &Session,
    status: StatusCode,
    view: View,
) -> Response {
    let accounts = match state.staff_list(&session.staff).await {
        Ok(accounts) => accounts,
        Err(e) => return failed(e),
    };
    let people = accounts
        .into_iter()
        .map(|a| {
            let mut values = HashMap::from([
                ("role".to_owned(), a.member.role.as_str().to_owned()),
                ("department".to_owned(), a.member.department.clone()),
            ]);
            let mut errors = Vec::new();
            if let Some((id, submitted, found)) = &view.row
                && *id == a.member.id
            {
                values.extend(submitted.clone());
                errors.clone_from(found);
            }
            Person {
                id: a.member.id,
                active: a.active,
                last_sign_in: a.last_sign_in_at.map_or_else(
                    || t.get("web.admin.never"),
                    |at| local_time(&at.to_string()),
                ),
                me: a.member.id == session.staff.id,
                form: FormState::new(values).with_errors(&errors, t, &[]),
                email: a.member.email,
                name: a.member.name,
            }
        })
        .collect();
    let add = view.add.unwrap_or_else(|| {
        FormState::new(HashMap::from([("role".to_owned(), "agent".to_owned())]))
    });
    let page = StaffPage {
        t,
        lang_url: lang_url(uri, t),
        staff_name: session.staff.name.clone(),
        csrf: session.csrf.clone(),
        admin: true,
        desk: session.has_desk(),
        people,
        departments: state
            .policy
            .departments
            .iter()
            .map(|d| (d.id.clone(), department_name(state, &d.id, t)))
            .collect(),
        roles: Role::ALL
            .iter()
            .map(|r| (r.as_str(), t.label("policy.role", r.as_str())))
            .collect(),
        add,
        done: view.done,
        shown: view.shown,
    };
    respond(uri, (status, page))
}

/// `GET /agent/admin/staff` (`?done=` names what the last change did).
pub async fn page(State(state): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    let (session, t) = match admin(&state, &uri, &headers).await {
        Ok(s) => s,
        Err(answer) => return answer,
    };
    let done = uri
        .query()
        .unwrap_or("")
        .split('&')
        .find_map(|kv| kv.strip_prefix("done="))
        .filter(|d| ["added", "changed", "disabled", "enabled"].contains(d))
        .map(|d| t.get(&format!("web.admin.done.{d}")))
        .unwrap_or_default();
    let view = View {
        done,
        ..View::default()
    };
    render(&state, &uri, t, &session, StatusCode::OK, view).await
}

fn back(done: &str) -> Response {
    (
        StatusCode::SEE_OTHER,
        [(LOCATION, format!("/agent/admin/staff?done={done}"))],
    )
        .into_response()
}

/// A role from a form: `one_of` when it names none.
fn role_of(fields: &HashMap<String, String>) -> Result<Role, FieldError> {
    fields
        .get("role")
        .and_then(|r| Role::parse(r.trim()))
        .ok_or_else(|| FieldError::new("role", "staff.role"))
}

/// `POST /agent/admin/staff`: adds a person. A generated password is on the answer, once.
pub async fn add(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    Form(fields): Form<HashMap<String, String>>,
) -> Response {
    let (session, t) = match admin_post(&state, &uri, &headers, &fields).await {
        Ok(s) => s,
        Err(answer) => return answer,
    };
    let form = FormState::new(fields.clone());
    let refused = |errors: Vec<FieldError>| {
        let view = View {
            add: Some(form.clone().with_errors(&errors, t, &[])),
            ..View::default()
        };
        render(
            &state,
            &uri,
            t,
            &session,
            StatusCode::UNPROCESSABLE_ENTITY,
            view,
        )
    };
    let role = match role_of(&fields) {
        Ok(role) => role,
        Err(e) => return refused(vec![e]).await,
    };
    let new = NewMember {
        email: form.value("email").to_owned(),
        name: form.value("name").to_owned(),
        department: form.value("department").to_owned(),
        role,
        password: form.get("password"),
    };
    match state.add_staff_member(&session.staff, new).await {
        Ok((_, None)) => back("added"),
        Ok((account, Some(password))) => {
            let view = View {
                done: t.get("web.admin.done.added"),
                shown: Some(Shown {
                    heading: t.with(
                        "web.admin.password.generated",
                        "email",
                        &account.member.email,
                    ),
                    password,
                }),
                ..View::default()
            };
            render(&state, &uri, t, &session, StatusCode::OK, view).await
        }
        Err(e) => match refusal(e, &uri, t) {
            Refusal::Fields(errors) => refused(errors).await,
            Refusal::Page(answer) => answer,
        },
    }
}

/// Shows a row's form again with its errors, or the page a refusal calls for.
async fn row_refused(
    state: &AppState,
    uri: &Uri,
    t: Tr,
    session: &Session,
    id: i64,
    fields: HashMap<String, String>,
    refused: Refusal,
) -> Response {
    match refused {
        Refusal::Fields(errors) => {
            let view = View {
                row: Some((id, fields, errors)),
                ..View::default()
            };
            render(
                state,
                uri,
                t,
                session,
                StatusCode::UNPROCESSABLE_ENTITY,
                view,
            )
            .await
        }
        Refusal::Page(answer) => answer,
    }
}

/// `POST /agent/admin/staff/{id}`: a new role and department.
pub async fn change(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(fields): Form<HashMap<String, String>>,
) -> Response {
    let (session, t) = match admin_post(&state, &uri, &headers, &fields).await {
        Ok(s) => s,
        Err(answer) => return answer,
    };
    let Some(id) = id_of(&id) else {
        return not_found_page(&uri, t);
    };
    let role = match role_of(&fields) {
        Ok(role) => role,
        Err(e) => {
            let refused = Refusal::Fields(vec![e]);
            return row_refused(&state, &uri, t, &session, id, fields, refused).await;
        }
    };
    let change = MemberChange {
        role: Some(role),
        department: fields.get("department").map(|d| d.trim().to_owned()),
        active: None,
    };
    match state.change_staff_member(&session.staff, id, change).await {
        Ok(_) => back("changed"),
        Err(e) => {
            let refused = refusal(e, &uri, t);
            row_refused(&state, &uri, t, &session, id, fields, refused).await
        }
    }
}

/// `POST /agent/admin/staff/{id}/active` with `active=0` (disable: their sessions and tokens
/// end at once) or `active=1` (enable).
pub async fn set_active(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(fields): Form<HashMap<String, String>>,
) -> Response {
    let (session, t) = match admin_post(&state, &uri, &headers, &fields).await {
        Ok(s) => s,
        Err(answer) => return answer,
    };
    let Some(id) = id_of(&id) else {
        return not_found_page(&uri, t);
    };
    let active = match fields.get("active").map(String::as_str) {
        Some("1") => true,
        Some("0") => false,
        _ => {
            let refused = Refusal::Fields(vec![FieldError::new("active", "one_of")]);
            return row_refused(&state, &uri, t, &session, id, fields, refused).await;
        }
    };
    let change = MemberChange {
        active: Some(active),
        ..MemberChange::default()
    };
    match state.change_staff_member(&session.staff, id, change).await {
        Ok(_) => back(if active { "enabled" } else { "disabled" }),
        Err(e) => {
            let refused = refusal(e, &uri, t);
            row_refused(&state, &uri, t, &session, id, fields, refused).await
        }
    }
}

/// `POST /agent/admin/staff/{id}/password`: the password typed, or a generated one shown on
/// the answer once. Their open sessions end.
pub async fn reset_password(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(fields): Form<HashMap<String, String>>,
) -> Response {
    let (session, t) = match admin_post(&state, &uri, &headers, &fields).await {
        Ok(s) => s,
        Err(answer) => return answer,
    };
    let Some(id) = id_of(&id) else {
        return not_found_page(&uri, t);
    };
    let given = fields
        .get("password")
        .filter(|p| !p.trim().is_empty())
        .cloned();
    let typed = given.is_some();
    match state.reset_staff_password(&session.staff, id, given).await {
        Ok((account, password)) => {
            let email = &account.member.email;
            let view = View {
                done: t.with("web.admin.password.reset", "email", email),
                // A password the administrator typed is not shown back: they know it.
                shown: (!typed).then(|| Shown {
                    heading: t.with("web.admin.password.generated", "email", email),
                    password,
                }),
                ..View::default()
            };
            render(&state, &uri, t, &session, StatusCode::OK, view).await
        }
        Err(e) => {
            // Never send a password back into the page.
            let mut fields = fields;
            fields.remove("password");
            let refused = refusal(e, &uri, t);
            row_refused(&state, &uri, t, &session, id, fields, refused).await
        }
    }
}
