//! @mentions: handles written in a post as `@handle`.

use std::ops::Range;

/// The handles mentioned in `body`, lowercase, each once, in order of first mention. A mention
/// starts at `@` not preceded by a letter or digit (so e-mail addresses are not mentions).
pub fn mentioned_handles(body: &str) -> Vec<String> {
    let mut handles: Vec<String> = Vec::new();
    for (_, handle) in mention_spans(body) {
        if !handles.contains(&handle) {
            handles.push(handle);
        }
    }
    handles
}

/// Every mention in `text`: the byte range of `@handle` as written, and the handle lowercase.
pub(crate) fn mention_spans(text: &str) -> Vec<(Range<usize>, String)> {
    let mut spans = Vec::new();
    let mut previous: Option<char> = None;
    for (at, c) in text.char_indices() {
        let starts = c == '@' && !previous.is_some_and(char::is_alphanumeric);
        previous = Some(c);
        if !starts {
            continue;
        }
        let rest = &text[at + 1..];
        let length = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(rest.len());
        let written = rest[..length].trim_end_matches(['-', '_']);
        if (3..=32).contains(&written.len()) {
            spans.push((at..at + 1 + written.len(), written.to_ascii_lowercase()));
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::mentioned_handles;

    #[test]
    fn mentions_are_found_once_and_email_addresses_are_not_mentions() {
        let body =
            "Thanks @Amara and @tom-h! Ask @amara, or mail ana@leeds.gov.uk. @x is too short.";
        assert_eq!(mentioned_handles(body), ["amara", "tom-h"]);
    }

    #[test]
    fn punctuation_ends_a_mention() {
        assert_eq!(mentioned_handles("(@priya-)"), ["priya"]);
    }

    #[test]
    fn a_span_covers_the_mention_as_written() {
        let text = "Hi @Tom_H, and é@x";
        let spans = super::mention_spans(text);
        assert_eq!(spans.len(), 1);
        assert_eq!(
            (&text[spans[0].0.clone()], spans[0].1.as_str()),
            ("@Tom_H", "tom_h")
        );
    }
}
