//! @mentions: handles written in a post as `@handle`.

/// The handles mentioned in `body`, lowercase, each once, in order of first mention. A mention
/// starts at `@` not preceded by a letter or digit (so e-mail addresses are not mentions).
pub fn mentioned_handles(body: &str) -> Vec<String> {
    let mut handles: Vec<String> = Vec::new();
    let chars: Vec<char> = body.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        let starts = *c == '@' && (i == 0 || !chars[i - 1].is_alphanumeric());
        if !starts {
            continue;
        }
        let handle: String = chars[i + 1..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == '-' || **c == '_')
            .collect::<String>()
            .trim_end_matches(['-', '_'])
            .to_ascii_lowercase();
        if (3..=32).contains(&handle.len()) && !handles.contains(&handle) {
            handles.push(handle);
        }
    }
    handles
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
}
