//! Scenario files: a JSON merge patch (RFC 7386) on the plan, with one
//! extension so that a manager can change one site without copying the
//! whole list.
//!
//! RFC 7386: an object merges into the value it patches, member by member;
//! `null` deletes a member; anything else (a number, a string, an array)
//! replaces the value whole.
//!
//! The extension: where the plan holds a list of things with IDs (`sites`,
//! `crews`, `tiers`, `device_types`, `regions`, budget `periods` have no
//! IDs and are replaced whole), the patch may give an object keyed by ID
//! instead of an array:
//!
//! - `"site-12": { ... }` merges into the item with that ID;
//! - `"site-12": null` deletes it;
//! - `"+site-99": { ... }` adds a new item with ID `site-99` at the end;
//! - an ID the list does not hold is an error naming the nearest known
//!   one. A typo must not quietly add a site, so adding needs the `+`.
//!
//! Errors carry the JSON path in the scenario file, so the CLI can point at
//! the offending key (file:line:col).

use serde_json::{Map, Value};

/// A patch that cannot be applied: where in the scenario file, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatchError {
    /// Object keys from the patch's root to the offending key.
    pub path: Vec<String>,
    pub message: String,
}

/// Applies `patch` to `target` (a plan as JSON).
pub fn apply(target: &mut Value, patch: &Value) -> Result<(), PatchError> {
    let mut path = Vec::new();
    merge(target, patch, &mut path)
}

fn merge(target: &mut Value, patch: &Value, path: &mut Vec<String>) -> Result<(), PatchError> {
    let Value::Object(members) = patch else {
        *target = patch.clone();
        return Ok(());
    };
    if let Value::Array(items) = target {
        return merge_by_id(items, members, path);
    }
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let Value::Object(obj) = target else {
        unreachable!("made an object above")
    };
    for (k, v) in members {
        path.push(k.clone());
        if v.is_null() {
            obj.remove(k);
        } else {
            merge(obj.entry(k.clone()).or_insert(Value::Null), v, path)?;
        }
        path.pop();
    }
    Ok(())
}

/// The extension: an object patching a list of things with IDs.
fn merge_by_id(
    items: &mut Vec<Value>,
    members: &Map<String, Value>,
    path: &mut Vec<String>,
) -> Result<(), PatchError> {
    let ids: Option<Vec<String>> = items
        .iter()
        .map(|i| i.get("id").and_then(Value::as_str).map(str::to_string))
        .collect();
    let Some(mut ids) = ids else {
        return Err(PatchError {
            path: path.clone(),
            message: format!(
                "{} is a list whose items have no `id`: give the whole list as an array",
                show(path)
            ),
        });
    };
    for (key, v) in members {
        path.push(key.clone());
        if let Some(new_id) = key.strip_prefix('+') {
            add(items, &mut ids, new_id, v, path)?;
        } else {
            let Some(at) = ids.iter().position(|id| id == key) else {
                return Err(unknown_id(key, &ids, path));
            };
            if v.is_null() {
                items.remove(at);
                ids.remove(at);
            } else {
                if v.get("id")
                    .is_some_and(|n| n.as_str() != Some(key.as_str()))
                {
                    return Err(PatchError {
                        path: path.clone(),
                        message: format!(
                            "{}: an item's `id` cannot be changed by a patch",
                            show(path)
                        ),
                    });
                }
                merge(&mut items[at], v, path)?;
            }
        }
        path.pop();
    }
    Ok(())
}

fn add(
    items: &mut Vec<Value>,
    ids: &mut Vec<String>,
    id: &str,
    v: &Value,
    path: &[String],
) -> Result<(), PatchError> {
    let fail = |message: String| PatchError {
        path: path.to_vec(),
        message,
    };
    if ids.iter().any(|x| x == id) {
        return Err(fail(format!(
            "{}: `{id}` already exists; patch it with \"{id}\" (no `+`)",
            show(path)
        )));
    }
    let Value::Object(fields) = v else {
        return Err(fail(format!(
            "{}: a new item must be an object with its fields",
            show(path)
        )));
    };
    let mut item = Map::new();
    item.insert("id".into(), Value::String(id.into()));
    for (k, x) in fields {
        if k != "id" && !x.is_null() {
            item.insert(k.clone(), x.clone());
        }
    }
    items.push(Value::Object(item));
    ids.push(id.into());
    Ok(())
}

fn unknown_id(key: &str, ids: &[String], path: &[String]) -> PatchError {
    let nearest = ids
        .iter()
        .map(|id| (strsim::levenshtein(key, id), id))
        .min()
        .filter(|(d, id)| *d <= 2.max(id.len() / 3));
    let hint = match nearest {
        Some((_, id)) => format!(" (did you mean `{id}`?)"),
        None => String::new(),
    };
    let parent = show(&path[..path.len().saturating_sub(1)]);
    PatchError {
        path: path.to_vec(),
        message: format!(
            "{parent} has no item with id `{key}`{hint}; to add one, write \"+{key}\""
        ),
    }
}

/// `sites.site-12.devices`, or `the plan` for the root.
fn show(path: &[String]) -> String {
    if path.is_empty() {
        "the plan".into()
    } else {
        path.join(".")
    }
}

#[cfg(test)]
mod tests {
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
        let p =
            patched(json!({"sites": {"site-12": {"devices": {"cam": 36, "nvr": null}}}})).unwrap();
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
}
