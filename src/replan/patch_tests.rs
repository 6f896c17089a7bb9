use super::*;
use serde_json::json;

fn plan() -> Value {
    json!({
        "name": "P",
        "budget": {"periods": [{"from": "2026-01-05", "to": "2026-03-31", "amount": 100}]},
        "sites": [
            {"id": "site-1", "region": "r", "tier": "T1", "devices": {"cam": 3}},
            {"id": "site-12", "region": "r", "tier": "T2", "devices": {"cam": 4, "nvr": 1}}
        ],
        "dependencies": [{"from": "site-1/remove", "to": "site-12/survey"}]
    })
}

fn patched(patch: Value) -> Result<Value, PatchError> {
    let mut p = plan();
    apply(&mut p, &patch).map(|_| p)
}

#[test]
fn rfc_7386_objects_merge_null_deletes_arrays_replace() {
    let p = patched(json!({"name": "Q", "budget": null, "deadline": "2027-01-01"})).unwrap();
    assert_eq!(p["name"], "Q");
    assert!(p.get("budget").is_none());
    assert_eq!(p["deadline"], "2027-01-01");
    let p = patched(json!({"dependencies": []})).unwrap();
    assert_eq!(p["dependencies"], json!([]));
}

#[test]
fn a_site_is_addressed_by_id() {
    let p = patched(json!({"sites": {"site-12": {"devices": {"cam": 36, "nvr": null}}}})).unwrap();
    assert_eq!(p["sites"][1]["devices"], json!({"cam": 36}));
    assert_eq!(p["sites"][1]["tier"], "T2");
    assert_eq!(p["sites"][0], plan()["sites"][0]);
}

#[test]
fn null_deletes_an_item_by_id() {
    let p = patched(json!({"sites": {"site-1": null}})).unwrap();
    assert_eq!(p["sites"].as_array().unwrap().len(), 1);
    assert_eq!(p["sites"][0]["id"], "site-12");
}

#[test]
fn a_plus_adds_an_item_at_the_end() {
    let p = patched(
        json!({"sites": {"+site-99": {"region": "r", "tier": "T1", "devices": {"cam": 1}}}}),
    )
    .unwrap();
    assert_eq!(p["sites"][2]["id"], "site-99");
    assert_eq!(p["sites"][2]["devices"]["cam"], 1);
}

#[test]
fn an_unknown_id_is_an_error_with_the_nearest_one() {
    let e = patched(json!({"sites": {"site-121": {"devices": {"cam": 1}}}})).unwrap_err();
    assert_eq!(e.path, vec!["sites", "site-121"]);
    assert!(
        e.message.contains("no item with id `site-121`"),
        "{}",
        e.message
    );
    assert!(
        e.message.contains("did you mean `site-12`?"),
        "{}",
        e.message
    );
    assert!(e.message.contains("\"+site-121\""), "{}", e.message);
}

#[test]
fn adding_an_existing_id_or_renaming_is_an_error() {
    let e = patched(json!({"sites": {"+site-1": {}}})).unwrap_err();
    assert!(e.message.contains("already exists"), "{}", e.message);
    let e = patched(json!({"sites": {"site-1": {"id": "site-2"}}})).unwrap_err();
    assert!(e.message.contains("cannot be changed"), "{}", e.message);
}

#[test]
fn a_list_without_ids_cannot_be_patched_by_key() {
    let e = patched(json!({"dependencies": {"0": null}})).unwrap_err();
    assert_eq!(e.path, vec!["dependencies"]);
    assert!(e.message.contains("give the whole list"), "{}", e.message);
}

#[test]
fn keys_are_located_in_the_scenario_text() {
    let text = "{\n  \"name\": \"x\",\n  \"sites\": {\n    \"site-1\": {\"devices\": {}},\n    \"site-13\": {}\n  }\n}";
    let path = vec!["sites".to_string(), "site-13".to_string()];
    assert_eq!(line_col(text, key_offset(text, &path)), (5, 5));
    let nested = vec![
        "sites".to_string(),
        "site-1".to_string(),
        "devices".to_string(),
    ];
    assert_eq!(line_col(text, key_offset(text, &nested)), (4, 16));
    // A path that leaves the text points at the deepest key found.
    let missing = vec!["sites".to_string(), "nope".to_string()];
    assert_eq!(line_col(text, key_offset(text, &missing)), (3, 3));
}
