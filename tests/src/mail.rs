//! The mail a hub sent, read back where it was delivered: `.eml` files in the data directory
//! (the embedded default), or the maildir of the development SMTP server that `.ci/run`
//! starts (`KHUB_TEST_SMTP_URL`, `KHUB_TEST_MAILDIR`).

use std::time::{Duration, SystemTime};

use mail_parser::MessageParser;

use crate::TestApp;

/// One message as its recipient reads it.
#[derive(Debug, Clone)]
pub struct Delivered {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// `List-Unsubscribe` and `List-Unsubscribe-Post`, as sent.
    pub unsubscribe: Option<(String, String)>,
}

impl Delivered {
    /// The six-digit code in **bold**.
    pub fn code(&self) -> String {
        self.text
            .split("**")
            .find(|part| part.len() == 6 && part.chars().all(|c| c.is_ascii_digit()))
            .unwrap_or_else(|| panic!("no code in {}", self.text))
            .to_owned()
    }

    /// The `token` of the first link that carries one.
    pub fn link_token(&self) -> String {
        let (_, rest) = self
            .text
            .split_once("?token=")
            .unwrap_or_else(|| panic!("no link in {}", self.text));
        rest.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect()
    }
}

impl TestApp {
    /// Every message this backend's hubs sent to `address`, oldest first.
    pub fn mail_to(&self, address: &str) -> Vec<Delivered> {
        let (directory, marker) = self.backend.mailbox();
        let Ok(entries) = std::fs::read_dir(&directory) else {
            return Vec::new();
        };
        let mut found: Vec<(SystemTime, Delivered)> = entries
            .filter_map(Result::ok)
            .filter_map(|entry| {
                let modified = entry.metadata().ok()?.modified().ok()?;
                let raw = std::fs::read(entry.path()).ok()?;
                let mail = parse(&raw)?;
                (mail.to == address && mail.text.contains(marker)).then_some((modified, mail))
            })
            .collect();
        found.sort_by_key(|(modified, _)| *modified);
        found.into_iter().map(|(_, mail)| mail).collect()
    }

    /// The notification mail (with an unsubscribe link) sent to `address`, oldest first.
    pub fn notification_mail_to(&self, address: &str) -> Vec<Delivered> {
        let mut found = self.mail_to(address);
        found.retain(|mail| mail.unsubscribe.is_some());
        found
    }

    /// The `n`th notification mail to `address` (from 1), waiting briefly for it.
    pub async fn nth_notification_mail_to(&self, address: &str, n: usize) -> Delivered {
        for _ in 0..50 {
            if let Some(mail) = self.notification_mail_to(address).get(n - 1) {
                return mail.clone();
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no notification mail number {n} to {address}");
    }

    /// The latest message to `address`, waiting briefly for it; panics if none comes.
    pub async fn last_mail_to(&self, address: &str) -> Delivered {
        for _ in 0..50 {
            if let Some(mail) = self.mail_to(address).pop() {
                return mail;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no mail to {address}");
    }
}

fn parse(raw: &[u8]) -> Option<Delivered> {
    let message = MessageParser::default().parse(raw)?;
    let to = message.to()?.first()?.address()?.to_lowercase();
    let header = |name: &str| Some(message.header_raw(name)?.trim().to_owned());
    let unsubscribe = header("List-Unsubscribe").zip(header("List-Unsubscribe-Post"));
    Some(Delivered {
        unsubscribe,
        to,
        subject: message.subject().unwrap_or_default().to_owned(),
        text: message.body_text(0)?.into_owned(),
        html: message
            .body_html(0)
            .map(|html| html.into_owned())
            .unwrap_or_default(),
    })
}
