//! Response fields in the order they were selected, as the GraphQL spec asks (CollectFields).
//! async-graphql resolves a merged root (`Query`, `Mutation`: one object per aggregate) part by
//! part, so the root's fields came back grouped by part; nested objects are already in order.
//! The root's order is worked out once from the parsed document, and the answer's root put in
//! it after execution (`engine.rs`).

use std::collections::HashSet;

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, Selection, SelectionSet,
};
use async_graphql::{Name, Value};

/// The response keys of an operation's root selection, in the order selected.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RootOrder(Vec<Name>);

impl RootOrder {
    /// The order of the operation that will run (named, or the document's only one).
    pub fn of(doc: &ExecutableDocument, operation_name: Option<&str>) -> Self {
        let operation = match (&doc.operations, operation_name) {
            (DocumentOperations::Single(op), _) => Some(op),
            (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name),
            (DocumentOperations::Multiple(ops), None) => ops.values().next(),
        };
        let mut keys = Vec::new();
        if let Some(operation) = operation {
            collect(
                doc,
                &operation.node.selection_set.node,
                &mut keys,
                &mut HashSet::new(),
            );
        }
        Self(keys)
    }

    /// Puts `data`'s fields in this order (a no-op when they already are).
    pub(super) fn apply(&self, data: &mut Value) {
        let Value::Object(fields) = data else {
            return;
        };
        let in_order = self
            .0
            .iter()
            .filter(|key| fields.contains_key(*key))
            .eq(fields.keys());
        if in_order {
            return;
        }
        let mut taken = std::mem::take(fields);
        for key in &self.0 {
            if let Some((key, value)) = taken.shift_remove_entry(key) {
                fields.insert(key, value);
            }
        }
        fields.extend(taken);
    }
}

/// Response keys of `set` in order, fragments expanded where they stand, each key once.
fn collect(
    doc: &ExecutableDocument,
    set: &SelectionSet,
    keys: &mut Vec<Name>,
    fragments_seen: &mut HashSet<Name>,
) {
    for item in &set.items {
        match &item.node {
            Selection::Field(field) => {
                let key = field.node.response_key().node.clone();
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
            Selection::InlineFragment(inline) => {
                collect(doc, &inline.node.selection_set.node, keys, fragments_seen);
            }
            Selection::FragmentSpread(spread) => {
                let name = spread.node.fragment_name.node.clone();
                if let Some(fragment) = doc.fragments.get(&name)
                    && fragments_seen.insert(name)
                {
                    collect(doc, &fragment.node.selection_set.node, keys, fragments_seen);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::Value;
    use async_graphql::parser::parse_query;

    use super::RootOrder;

    #[test]
    fn the_root_follows_the_selection_with_fragments_expanded_in_place() {
        let doc = parse_query("query { b ...F a: x b } fragment F on Query { c ... { d } }")
            .expect("parses");
        let order = RootOrder::of(&doc, None);
        let keys: Vec<&str> = order.0.iter().map(|k| k.as_str()).collect();
        assert_eq!(keys, ["b", "c", "d", "a"]);

        let mut data =
            Value::from_json(serde_json::json!({ "a": 1, "d": 2, "b": 3, "c": 4 })).expect("value");
        order.apply(&mut data);
        let Value::Object(fields) = data else {
            panic!("an object")
        };
        let keys: Vec<&str> = fields.keys().map(|k| k.as_str()).collect();
        assert_eq!(keys, ["b", "c", "d", "a"]);
    }
}
