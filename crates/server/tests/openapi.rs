//! The OpenAPI document describes every answer a client can get (issue 13): each response of
//! each operation has a description, each error carries the error body, operation ids are
//! unique, a JSON body's operation lists 400 (not JSON), 413 (too large) and 422 (fields)
//! and its objects refuse unknown fields, a staff operation lists 401, and a staff write
//! lists 403 (the cookie rule of issue 14).
//! The contract fuzzer (`scripts/lib/contract.sh`) checks the answers against it; this test
//! keeps the document itself complete without any Python.

mod common;

use common::{json, spawn_app};
use reqwest::StatusCode;
use serde_json::Value;

const METHODS: &[&str] = &["get", "put", "post", "delete", "patch"];

#[tokio::test]
async fn every_operation_documents_every_answer() {
    let app = spawn_app(false).await;
    let (status, doc) = json(app.get(None, "/api/v1/openapi.json").await).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        doc["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1")),
        "{}",
        doc["openapi"]
    );
    let paths = doc["paths"].as_object().expect("the document has paths");
    let mut problems = Vec::new();
    let mut operations = 0;
    let mut ids = std::collections::BTreeSet::new();
    for (path, item) in paths {
        for method in METHODS {
            let Some(op) = item.get(*method) else {
                continue;
            };
            operations += 1;
            let name = format!("{} {path}", method.to_uppercase());
            // OpenAPI requires operation ids to be unique; clients name their calls by them.
            match op["operationId"].as_str() {
                Some(id) if !ids.insert(id.to_owned()) => {
                    problems.push(format!("{name}: operation id {id} is used twice"))
                }
                Some(_) => {}
                None => problems.push(format!("{name}: no operation id")),
            }
            problems.extend(operation_problems(&name, method, op));
            let body = &op["requestBody"]["content"]["application/json"]["schema"];
            if !body.is_null() {
                closed_objects(&doc, body, &name, &mut problems);
            }
        }
    }
    assert!(operations >= 20, "only {operations} operations documented");
    assert!(
        problems.is_empty(),
        "the OpenAPI document is incomplete:\n{}",
        problems.join("\n")
    );
}

/// Checks that every object of a request body says `additionalProperties: false`: the server
/// refuses fields it does not know (`unknown`), so the document must not invite them.
fn closed_objects(doc: &Value, schema: &Value, name: &str, problems: &mut Vec<String>) {
    if let Some(reference) = schema["$ref"].as_str() {
        let component = reference.trim_start_matches("#/components/schemas/");
        let resolved = &doc["components"]["schemas"][component];
        if resolved.is_null() {
            problems.push(format!("{name}: {reference} is not in the document"));
        } else {
            closed_objects(doc, resolved, &format!("{name} {component}"), problems);
        }
        return;
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        for alternative in schema[key].as_array().into_iter().flatten() {
            closed_objects(doc, alternative, name, problems);
        }
    }
    if let Some(properties) = schema["properties"].as_object() {
        if schema["additionalProperties"] != Value::Bool(false) {
            problems.push(format!(
                "{name}: unknown fields are refused, the schema allows them"
            ));
        }
        for (field, property) in properties {
            closed_objects(doc, property, &format!("{name}.{field}"), problems);
        }
    }
}

/// What one operation's description lacks.
fn operation_problems(name: &str, method: &str, op: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let Some(responses) = op["responses"].as_object() else {
        return vec![format!("{name}: no responses")];
    };
    for (code, response) in responses {
        let described = response["description"]
            .as_str()
            .is_some_and(|d| !d.trim().is_empty());
        if !described {
            problems.push(format!("{name} {code}: no description"));
        }
        // Every error is answered with the one error body (`error::ErrorBody`).
        if code.starts_with('4') || code.starts_with('5') {
            let schema = &response["content"]["application/json"]["schema"]["$ref"];
            if schema.as_str() != Some("#/components/schemas/ErrorBody") {
                problems.push(format!("{name} {code}: not the error body ({schema})"));
            }
        }
    }
    let has = |code: &str| responses.contains_key(code);
    if method == "post" && op["requestBody"]["content"]["application/json"].is_object() {
        for (code, why) in [
            ("400", "a body that is not JSON"),
            ("413", "a body over the limit"),
            ("422", "fields missing or invalid"),
        ] {
            if !has(code) {
                problems.push(format!("{name}: JSON body but no {code} ({why})"));
            }
        }
    }
    let staff_only = op["security"]
        .as_array()
        .is_some_and(|schemes| !schemes.is_empty());
    if staff_only && !has("401") {
        problems.push(format!("{name}: needs sign-in but no 401"));
    }
    // Issue 14: a staff write by the session cookie must be JSON from hotro's own origin.
    if (staff_only || name == "POST /api/v1/auth/logout") && method != "get" && !has("403") {
        problems.push(format!("{name}: a cookie-authenticated write but no 403"));
    }
    if name.contains('{') && !has("404") {
        problems.push(format!("{name}: names a resource but no 404"));
    }
    if !responses.keys().any(|c| c.starts_with('2')) {
        problems.push(format!("{name}: no success answer"));
    }
    problems
}

/// A question number that is not a number was answered by axum itself, a plain-text 400
/// that no document describes (the contract fuzzer's status and content-type checks fail on
/// it); it names no question, so it is 404 with the error body, as a mail id that is not a
/// number already was.
#[tokio::test]
async fn a_question_number_that_is_not_a_number_is_a_described_404() {
    let app = spawn_app(false).await;
    let (code, _) = common::file_complaint(&app).await;
    for number in ["abc", "-1", "4294967296"] {
        let path = format!("/api/v1/tickets/{code}/consultations/{number}/answer");
        let body = serde_json::json!({ "answer": "Có hợp đồng." });
        let (status, body) = json(app.post(Some(&app.care), &path, &body).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{number}: {body}");
        assert_eq!(body["error"]["code"], "not_found", "{number}");
    }
}
