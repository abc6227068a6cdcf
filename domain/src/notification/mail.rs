//! The mail notifications send: one at once for a mention or reply, or a digest. The text part
//! is plain; the HTML part escapes everything people wrote (titles, excerpts, names).

use pulldown_cmark_escape::{FmtWriter, escape_html};

use crate::notification::model::{EmailFrequency, NotificationKind};
use crate::ports::Mail;

/// Where a frontend serves a person's notifications.
pub const NOTIFICATIONS_PATH: &str = "/notifications";
/// Where the hub stops someone's notification mail (`/unsubscribe/<token>`).
pub const UNSUBSCRIBE_PATH: &str = "/unsubscribe";
/// The longest excerpt of a post quoted in a mail, in characters.
const EXCERPT: usize = 300;

/// A notification told in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Told {
    pub kind: NotificationKind,
    pub count: u64,
    /// Who caused the latest event, by display name.
    pub actor: Option<String>,
    /// The thread's or practice's title.
    pub title: Option<String>,
    /// The latest post, as plain text.
    pub excerpt: Option<String>,
}

impl Told {
    /// One line: who did what, where.
    pub fn headline(&self) -> String {
        let who = self.actor.as_deref().unwrap_or("Someone");
        let title = self.title.as_deref().unwrap_or("a conversation");
        let more = match self.count {
            0 | 1 => String::new(),
            n => format!(" ({n} times)"),
        };
        let what = match self.kind {
            NotificationKind::Mentioned => format!("{who} mentioned you in “{title}”"),
            NotificationKind::Replied => format!("{who} replied to you in “{title}”"),
            NotificationKind::ThreadActivity => format!("{who} posted in “{title}”"),
            NotificationKind::CommunityActivity => format!("{who} shared “{title}”"),
            NotificationKind::AnswerAccepted => {
                format!("{who} accepted your answer in “{title}”")
            }
            NotificationKind::PracticeEndorsed => format!("{who} endorsed “{title}”"),
            NotificationKind::PracticePromoted => {
                format!("“{title}” became practice worth repeating")
            }
            NotificationKind::PracticeAdopted => format!("{who} recorded an adoption of “{title}”"),
            NotificationKind::Invited => format!("{who} invited you to join a community"),
            NotificationKind::MembershipDecided => {
                format!("{who} decided on your request to join a community")
            }
            NotificationKind::BadgeAwarded => "You were awarded a badge".to_owned(),
            NotificationKind::WebhookDisabled => {
                "Your webhook was disabled after days of failed deliveries".to_owned()
            }
            NotificationKind::SavedSearchMatch => {
                format!("Your saved search “{title}” found something new")
            }
        };
        what + &more
    }

    fn quoted(&self) -> Option<String> {
        let excerpt = self.excerpt.as_deref()?.trim();
        let mut quoted: String = excerpt.chars().take(EXCERPT).collect();
        if excerpt.chars().count() > EXCERPT {
            quoted.push('…');
        }
        Some(quoted)
    }
}

/// Where a mail's links go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Links {
    pub notifications: String,
    pub unsubscribe: String,
}

/// A mention or reply, mailed at once.
pub fn at_once(to: &str, told: &Told, links: &Links) -> Mail {
    let headline = told.headline();
    let mut text = format!("{headline}\n\n");
    let mut html = format!("<p>{}</p>", escaped(&headline));
    if let Some(quoted) = told.quoted() {
        text.push_str(&format!("> {quoted}\n\n"));
        html.push_str(&format!("<blockquote>{}</blockquote>", escaped(&quoted)));
    }
    finish(to, headline, text, html, links)
}

/// What is unread, in one mail.
pub fn digest(to: &str, period: EmailFrequency, told: &[Told], links: &Links) -> Mail {
    let span = match period {
        EmailFrequency::Weekly => "this week",
        _ => "today",
    };
    let subject = format!("Knowledge Hub: {} unread {span}", told.len());
    let mut text = format!("Unread on Knowledge Hub {span}:\n\n");
    let mut html = format!("<p>Unread on Knowledge Hub {span}:</p><ul>");
    for item in told {
        let headline = item.headline();
        text.push_str(&format!("- {headline}\n"));
        html.push_str(&format!("<li>{}</li>", escaped(&headline)));
    }
    html.push_str("</ul>");
    text.push('\n');
    finish(to, subject, text, html, links)
}

fn finish(to: &str, subject: String, mut text: String, mut html: String, links: &Links) -> Mail {
    text.push_str(&format!(
        "See your notifications: {}\n\nStop these e-mails: {}\n",
        links.notifications, links.unsubscribe
    ));
    html.push_str(&format!(
        "<p><a href=\"{}\">See your notifications</a></p>\
         <p><a href=\"{}\">Stop these e-mails</a></p>",
        escaped(&links.notifications),
        escaped(&links.unsubscribe)
    ));
    Mail {
        to: to.to_owned(),
        subject,
        text,
        html,
        unsubscribe: Some(links.unsubscribe.clone()),
    }
}

fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Writing to a String cannot fail.
    let _ = escape_html(FmtWriter(&mut out), text);
    out
}

#[cfg(test)]
mod tests {
    use super::{Links, Told, at_once};
    use crate::notification::NotificationKind;

    #[test]
    fn what_people_wrote_is_escaped_in_the_html_part() {
        let told = Told {
            kind: NotificationKind::Replied,
            count: 1,
            actor: Some("Bob <script>".into()),
            title: Some("Bins & boxes".into()),
            excerpt: Some("<img src=x onerror=alert(1)>".into()),
        };
        let links = Links {
            notifications: "https://hub.example/notifications".into(),
            unsubscribe: "https://hub.example/unsubscribe/t".into(),
        };
        let mail = at_once("ana@leeds.gov.uk", &told, &links);
        assert!(!mail.html.contains("<script>") && !mail.html.contains("<img"));
        assert!(mail.html.contains("Bins &amp; boxes"));
        assert!(
            mail.text
                .contains("Bob <script> replied to you in “Bins & boxes”")
        );
        assert_eq!(
            mail.unsubscribe.as_deref(),
            Some("https://hub.example/unsubscribe/t")
        );
    }
}
