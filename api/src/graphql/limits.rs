//! Checks on a request document beyond what async-graphql enforces: nesting before parsing,
//! aliases, and circular introspection (as graphql-js's MaxIntrospectionDepthRule).

use std::collections::HashSet;

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};

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
    let introspects = doc
        .operations
        .iter()
        .any(|(_, op)| introspects_in(doc, &op.node.selection_set.node, &mut HashSet::new()));
    if introspects {
        return Err("introspection is turned off on this server".into());
    }
    Ok(())
}

fn introspects_in<'d>(
    doc: &'d ExecutableDocument,
    set: &'d SelectionSet,
    visited: &mut HashSet<&'d str>,
) -> bool {
    set.items.iter().any(|item| match &item.node {
        Selection::Field(field) => {
            matches!(field.node.name.node.as_str(), "__schema" | "__type")
                || introspects_in(doc, &field.node.selection_set.node, visited)
        }
        Selection::InlineFragment(inline) => {
            introspects_in(doc, &inline.node.selection_set.node, visited)
        }
        Selection::FragmentSpread(spread) => with_fragment(
            doc,
            spread.node.fragment_name.node.as_str(),
            visited,
            |set, visited| introspects_in(doc, set, visited),
        ),
    })
}

/// Refuses introspection that nests list fields more than three deep, which would let one
/// small query expand the whole schema again and again.
pub fn check_introspection_depth(doc: &ExecutableDocument) -> Result<(), String> {
    let too_deep = doc.operations.iter().any(|(_, op)| {
        under_introspection_root(doc, &op.node.selection_set.node, &mut HashSet::new())
    });
    if too_deep {
        return Err("Maximum introspection depth exceeded".into());
    }
    Ok(())
}

/// Finds `__schema`/`__type` fields and checks below them.
fn under_introspection_root<'d>(
    doc: &'d ExecutableDocument,
    set: &'d SelectionSet,
    visited: &mut HashSet<&'d str>,
) -> bool {
    set.items.iter().any(|item| match &item.node {
        Selection::Field(field) => {
            let name = field.node.name.node.as_str();
            if name == "__schema" || name == "__type" {
                lists_too_deep(doc, &field.node.selection_set.node, visited, 0)
            } else {
                under_introspection_root(doc, &field.node.selection_set.node, visited)
            }
        }
        Selection::InlineFragment(inline) => {
            under_introspection_root(doc, &inline.node.selection_set.node, visited)
        }
        Selection::FragmentSpread(spread) => with_fragment(
            doc,
            spread.node.fragment_name.node.as_str(),
            visited,
            |set, visited| under_introspection_root(doc, set, visited),
        ),
    })
}

fn lists_too_deep<'d>(
    doc: &'d ExecutableDocument,
    set: &'d SelectionSet,
    visited: &mut HashSet<&'d str>,
    depth: usize,
) -> bool {
    set.items.iter().any(|item| match &item.node {
        Selection::Field(field) => {
            let name = field.node.name.node.as_str();
            let is_list = matches!(
                name,
                "fields" | "interfaces" | "possibleTypes" | "inputFields"
            );
            let depth = depth + usize::from(is_list);
            depth >= MAX_INTROSPECTION_LISTS
                || lists_too_deep(doc, &field.node.selection_set.node, visited, depth)
        }
        Selection::InlineFragment(inline) => {
            lists_too_deep(doc, &inline.node.selection_set.node, visited, depth)
        }
        Selection::FragmentSpread(spread) => with_fragment(
            doc,
            spread.node.fragment_name.node.as_str(),
            visited,
            |set, visited| lists_too_deep(doc, set, visited, depth),
        ),
    })
}

/// Runs `check` on a fragment's selections, guarding against fragment cycles.
fn with_fragment<'d>(
    doc: &'d ExecutableDocument,
    name: &'d str,
    visited: &mut HashSet<&'d str>,
    check: impl FnOnce(&'d SelectionSet, &mut HashSet<&'d str>) -> bool,
) -> bool {
    let Some(fragment) = doc.fragments.get(name) else {
        return false;
    };
    if !visited.insert(name) {
        return false;
    }
    let found = check(&fragment.node.selection_set.node, visited);
    visited.remove(name);
    found
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
