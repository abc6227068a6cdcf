//! Markdown as people write it, and the HTML the API serves for it.
//!
//! What was written is stored untouched; the HTML is derived from it on the way out and
//! sanitised, so no script, event handler or `javascript:` link ever reaches a reader.

use std::collections::HashSet;
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, TextMergeStream, html};

use crate::conversation::mention_spans;

/// Where a mention links: the person's page, as frontends route it.
pub const PERSON_PATH: &str = "/people/";

/// One sanitiser for the whole process: building it parses its allow-lists.
static SANITISER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .url_schemes(["http", "https", "mailto"].into())
        .link_rel(Some("nofollow noopener noreferrer"))
        .allowed_classes([("a", ["mention"].into())].into());
    builder
});

/// Renders CommonMark (with tables, strikethrough and task lists) to sanitised HTML.
pub fn to_html(markdown: &str) -> String {
    to_html_with_mentions(markdown, &HashSet::new())
}

/// Renders like [`to_html`], with each `@handle` of someone in `people` (lowercase handles) a
/// link to them: `<a class="mention" href="/people/handle">@handle</a>`. Mentions in code and
/// inside links stay text.
pub fn to_html_with_mentions(markdown: &str, people: &HashSet<String>) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    let events = TextMergeStream::new(Parser::new_ext(markdown, options));
    match people.is_empty() {
        true => html::push_html(&mut unsafe_html, events),
        false => html::push_html(&mut unsafe_html, link_mentions(events, people)),
    }
    SANITISER.clean(&unsafe_html).to_string()
}

/// Splits text events around mentions of `people`, outside code and links.
/// The words of a Markdown text without its markup, blocks on lines of their own: what
/// search indexes and quotes in snippets.
pub fn to_plain_text(markdown: &str) -> String {
    let mut text = String::with_capacity(markdown.len());
    for event in Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    ) {
        match event {
            Event::Text(words) | Event::Code(words) => text.push_str(&words),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item)
            | Event::End(TagEnd::TableCell | TagEnd::CodeBlock) => text.push('\n'),
            _ => {}
        }
    }
    text.trim_end().to_owned()
}

fn link_mentions<'a>(
    events: impl Iterator<Item = Event<'a>>,
    people: &HashSet<String>,
) -> impl Iterator<Item = Event<'a>> {
    let mut in_link = 0usize;
    events.flat_map(move |event| {
        match &event {
            Event::Start(Tag::Link { .. }) => in_link += 1,
            Event::End(TagEnd::Link) => in_link = in_link.saturating_sub(1),
            Event::Text(text) if in_link == 0 => return with_links(text, people),
            _ => {}
        }
        vec![event]
    })
}

fn with_links<'a>(text: &CowStr<'a>, people: &HashSet<String>) -> Vec<Event<'a>> {
    let mut events = Vec::new();
    let mut from = 0;
    for (span, handle) in mention_spans(text) {
        if !people.contains(&handle) {
            continue;
        }
        if span.start > from {
            events.push(Event::Text(text[from..span.start].to_owned().into()));
        }
        let written = &text[span.clone()];
        let link = format!("<a class=\"mention\" href=\"{PERSON_PATH}{handle}\">{written}</a>");
        events.push(Event::InlineHtml(link.into()));
        from = span.end;
    }
    if from < text.len() {
        events.push(Event::Text(text[from..].to_owned().into()));
    }
    events
}

#[cfg(test)]
mod tests {
    use super::{to_html, to_plain_text};

    #[test]
    fn markdown_becomes_html() {
        assert_eq!(
            to_html("**Bold** move"),
            "<p><strong>Bold</strong> move</p>\n"
        );
    }

    #[test]
    fn scripts_handlers_and_script_links_never_survive() {
        let written = "Hi <script>alert(1)</script> <img src=x onerror=alert(2)> \
                       [click](javascript:alert(3)) <a href=\"JaVaScRiPt:alert(4)\">x</a>";
        let html = to_html(written);
        for forbidden in [
            "<script",
            "onerror",
            "javascript:",
            "JaVaScRiPt",
            "alert(1)",
        ] {
            assert!(!html.contains(forbidden), "{forbidden} in {html}");
        }
    }

    #[test]
    fn mentions_of_known_people_link_to_them_outside_code_and_links() {
        let people = ["ana".to_owned()].into();
        let html = super::to_html_with_mentions(
            "Ask @Ana or @nobody; `@ana` and [@ana](https://example.org) stay as written.",
            &people,
        );
        assert!(
            html.contains(r#"<a class="mention" href="/people/ana" rel="nofollow noopener noreferrer">@Ana</a>"#),
            "{html}"
        );
        assert_eq!(html.matches("class=\"mention\"").count(), 1, "{html}");
        assert!(
            html.contains("@nobody") && html.contains("<code>@ana</code>"),
            "{html}"
        );
    }

    #[test]
    fn safe_links_are_kept_and_marked_external() {
        let html = to_html("[guide](https://example.org/guide)");
        assert!(
            html.contains(r#"href="https://example.org/guide""#),
            "{html}"
        );
        assert!(html.contains("noopener"), "{html}");
    }

    #[test]
    fn plain_text_keeps_the_words_and_drops_the_markup() {
        let text = to_plain_text(
            "# Outcomes\n\n- **Fewer** notices\n- `140` homes, [see](https://x.example)",
        );
        assert_eq!(text, "Outcomes\nFewer notices\n140 homes, see");
    }
}
