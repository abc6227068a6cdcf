//! Checks on a request document beyond what async-graphql enforces: nesting before parsing,
//! aliases, and circular introspection (as graphql-js's MaxIntrospectionDepthRule).

use std::collections::HashSet;

use async_graphql::parser::types::{ExecutableDocument, Field, Selection, SelectionSet};

/// Brackets nested deeper than this are refused before the parser sees them, so a pathological
/// document cannot exhaust the parser's stack.
pub const MAX_NESTING: usize = 64;

/// Introspection list fields (`fields`, `interfaces`, `possibleTypes`, `inputFields`) may nest
/// at most this deep below `__schema` or `__type`.
const MAX_INTROSPECTION_LISTS: usize = 3;

/// Refuses documents whose `{`, `[` or `(` nest deeper than [`MAX_NESTING`], ignoring strings
/// and comments.
pub fn check_nesting(query: &str) -> Result<(), String> {
    let mut depth = 0usize;
    let mut chars = query.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '#' => {
                for c in chars.by_ref() {
                    if c == '\n' || c == '\r' {
                        break;
                    }
                }
            }
            '"' => skip_string(&mut chars),
            '{' | '[' | '(' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(format!(
                        "the document nests deeper than {MAX_NESTING} levels"
                    ));
                }
            }
            '}' | ']' | ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Skips a string literal (plain or block) whose opening quote was just read.
fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    let block = {
        let mut ahead = chars.clone();
        ahead.next() == Some('"') && ahead.next() == Some('"')
    };
    if block {
        chars.next();
        chars.next();
        let mut quotes = 0;
        for c in chars.by_ref() {
            quotes = if c == '"' { quotes + 1 } else { 0 };
            if quotes == 3 {
                return;
            }
        }
        return;
    }
    let mut escaped = false;
    for c in chars.by_ref() {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return,
            '\n' => return,
            _ => escaped = false,
        }
    }
}

/// Counts aliased fields in every operation and fragment of the document.
pub fn check_aliases(doc: &ExecutableDocument, max: usize) -> Result<(), String> {
    let mut count = 0;
    for (_, op) in doc.operations.iter() {
        count += aliases_in(&op.node.selection_set.node);
    }
    for fragment in doc.fragments.values() {
        count += aliases_in(&fragment.node.selection_set.node);
    }
    if count > max {
        return Err(format!(
            "the document uses {count} aliases; at most {max} are allowed"
        ));
    }
    Ok(())
}

fn aliases_in(set: &SelectionSet) -> usize {
    set.items
        .iter()
        .map(|item| match &item.node {
            Selection::Field(field) => {
                usize::from(field.node.alias.is_some()) + aliases_in(&field.node.selection_set.node)
            }
            Selection::InlineFragment(inline) => aliases_in(&inline.node.selection_set.node),
            Selection::FragmentSpread(_) => 0,
        })
        .sum()
}

/// Refuses any `__schema` or `__type` field, for servers with introspection turned off.
pub fn refuse_introspection(doc: &ExecutableDocument) -> Result<(), String> {
    let introspects = any_field(doc, (), &|field, ()| match is_introspection_root(field) {
        true => Visit::Found,
        false => Visit::Descend(()),
    });
    match introspects {
        true => Err("introspection is turned off on this server".into()),
        false => Ok(()),
    }
}

/// Refuses introspection that nests list fields more than three deep, which would let one
/// small query expand the whole schema again and again.
pub fn check_introspection_depth(doc: &ExecutableDocument) -> Result<(), String> {
    // `None` above the introspection root; below it, how many list fields enclose the field.
    let too_deep = any_field(doc, None, &|field, lists: Option<usize>| match lists {
        None if is_introspection_root(field) => Visit::Descend(Some(0)),
        None => Visit::Descend(None),
        Some(lists) => {
            let lists = lists + usize::from(is_introspection_list(field));
            match lists >= MAX_INTROSPECTION_LISTS {
                true => Visit::Found,
                false => Visit::Descend(Some(lists)),
            }
        }
    });
    match too_deep {
        true => Err("Maximum introspection depth exceeded".into()),
        false => Ok(()),
    }
}

fn is_introspection_root(field: &Field) -> bool {
    matches!(field.name.node.as_str(), "__schema" | "__type")
}

fn is_introspection_list(field: &Field) -> bool {
    matches!(
        field.name.node.as_str(),
        "fields" | "interfaces" | "possibleTypes" | "inputFields"
    )
}

/// What a search does at one field.
enum Visit<S> {
    Found,
    /// Look at the field's own selections, carrying this state.
    Descend(S),
}

/// Whether `visit` finds a field anywhere in the document's operations, following fragment
/// spreads (each at most once per path, so fragment cycles end).
fn any_field<S: Copy>(
    doc: &ExecutableDocument,
    state: S,
    visit: &dyn Fn(&Field, S) -> Visit<S>,
) -> bool {
    let mut on_path = HashSet::new();
    doc.operations
        .iter()
        .any(|(_, op)| search(doc, &op.node.selection_set.node, state, visit, &mut on_path))
}

fn search<'d, S: Copy>(
    doc: &'d ExecutableDocument,
    set: &'d SelectionSet,
    state: S,
    visit: &dyn Fn(&Field, S) -> Visit<S>,
    on_path: &mut HashSet<&'d str>,
) -> bool {
    set.items.iter().any(|item| match &item.node {
        Selection::Field(field) => match visit(&field.node, state) {
            Visit::Found => true,
            Visit::Descend(inner) => {
                search(doc, &field.node.selection_set.node, inner, visit, on_path)
            }
        },
        Selection::InlineFragment(inline) => {
            search(doc, &inline.node.selection_set.node, state, visit, on_path)
        }
        Selection::FragmentSpread(spread) => {
            let name = spread.node.fragment_name.node.as_str();
            let Some(fragment) = doc.fragments.get(name) else {
                return false;
            };
            if !on_path.insert(name) {
                return false;
            }
            let found = search(
                doc,
                &fragment.node.selection_set.node,
                state,
                visit,
                on_path,
            );
            on_path.remove(name);
            found
        }
    })
}

#[cfg(test)]
mod tests {
    use async_graphql::parser::parse_query;

    use super::*;

    fn doc(query: &str) -> ExecutableDocument {
        parse_query(query).expect("valid document")
    }

    #[test]
    fn brackets_inside_strings_and_comments_do_not_count_as_nesting() {
        let deep = "{".repeat(MAX_NESTING + 1);
        assert!(check_nesting(&format!("{{ a(s: \"{deep}\") }} # {deep}")).is_ok());
        assert!(check_nesting(&format!("{{ a(s: \"\"\"{deep}\"\"\") }}")).is_ok());
        assert!(check_nesting(&deep).is_err());
    }

    #[test]
    fn aliases_beyond_the_limit_are_refused() {
        assert!(check_aliases(&doc("{ a: x b: x }"), 2).is_ok());
        assert!(check_aliases(&doc("{ a: x b: x c: x }"), 2).is_err());
        assert!(check_aliases(&doc("{ ...F } fragment F on Q { a: x b: x c: x }"), 2).is_err());
    }

    #[test]
    fn introspection_nested_three_lists_deep_is_refused() {
        let circular =
            "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }";
        assert!(check_introspection_depth(&doc(circular)).is_err());
        let through_fragments = "{ __type(name: \"Q\") { ...A } } fragment A on __Type { fields { type { ...B } } } fragment B on __Type { interfaces { possibleTypes { name } } }";
        assert!(check_introspection_depth(&doc(through_fragments)).is_err());
    }

    #[test]
    fn the_standard_introspection_query_is_allowed() {
        assert!(check_introspection_depth(&doc(STANDARD_INTROSPECTION)).is_ok());
    }

    #[test]
    fn fragment_cycles_do_not_loop_forever() {
        let cyclic =
            "{ __schema { ...A } } fragment A on __Schema { ...B } fragment B on __Schema { ...A }";
        assert!(check_introspection_depth(&doc(cyclic)).is_ok());
    }

    /// graphql-js `getIntrospectionQuery()`, as GraphiQL sends it.
    pub const STANDARD_INTROSPECTION: &str =
        include_str!("../../../tests/fixtures/introspection.graphql");
}
