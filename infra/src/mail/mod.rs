//! Mail: over SMTP when `smtp_url` is set, else written as `.eml` files under the data
//! directory (the embedded default needs no mail server). Both build the same message with
//! lettre: plain text and HTML alternatives.

use std::path::PathBuf;

use async_trait::async_trait;
use khub_domain::ports::{Mail, Mailer};
use khub_domain::{DomainError, DomainResult};
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// Sends over SMTP (`smtp://host:port`, `smtps://…`, with `user:password@` if needed).
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpMailer {
    pub fn new(url: &str, from: Mailbox) -> anyhow::Result<Self> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| anyhow::anyhow!("configuration error: setting `smtp_url`: {e}"))?
            .build();
        Ok(Self { transport, from })
    }
}

#[async_trait]
impl Mailer for SmtpMailer {
    #[tracing::instrument(skip_all)]
    async fn send(&self, mail: &Mail) -> DomainResult<()> {
        let message = message(&self.from, mail)?;
        self.transport
            .send(message)
            .await
            .map_err(|e| DomainError::unavailable("send mail over SMTP", e))?;
        Ok(())
    }
}

/// Writes each message as `<id>.eml` in a directory and logs where.
pub struct FileMailer {
    transport: AsyncFileTransport<Tokio1Executor>,
    directory: PathBuf,
    from: Mailbox,
}

impl FileMailer {
    pub fn new(directory: PathBuf, from: Mailbox) -> anyhow::Result<Self> {
        std::fs::create_dir_all(&directory).map_err(|e| {
            anyhow::anyhow!("cannot create mail directory {}: {e}", directory.display())
        })?;
        Ok(Self {
            transport: AsyncFileTransport::new(&directory),
            directory,
            from,
        })
    }
}

#[async_trait]
impl Mailer for FileMailer {
    async fn send(&self, mail: &Mail) -> DomainResult<()> {
        let message = message(&self.from, mail)?;
        let id = self
            .transport
            .send(message)
            .await
            .map_err(|e| DomainError::unavailable("write mail to a file", e))?;
        let path = self.directory.join(format!("{id}.eml"));
        tracing::info!(to = %mail.to, subject = %mail.subject, path = %path.display(), "mail written (no smtp_url is set)");
        Ok(())
    }
}

fn message(from: &Mailbox, mail: &Mail) -> DomainResult<Message> {
    let to: Mailbox = mail
        .to
        .parse()
        .map_err(|_| DomainError::invalid("email", "INVALID_EMAIL", "must be an e-mail address"))?;
    let mut builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(mail.subject.as_str());
    if let Some(link) = &mail.unsubscribe {
        builder = builder
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                format!("<{link}>"),
            ))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".to_owned(),
            ));
    }
    builder
        .multipart(MultiPart::alternative_plain_html(
            mail.text.clone(),
            mail.html.clone(),
        ))
        .map_err(|e| DomainError::unavailable("build a mail message", e))
}

#[cfg(test)]
mod tests {
    use khub_domain::ports::{Mail, Mailer};

    use super::FileMailer;

    #[tokio::test]
    async fn a_message_is_written_with_both_parts() {
        let dir = tempfile::tempdir().expect("temp dir");
        let from = "Knowledge Hub <hub@example.org>".parse().expect("mailbox");
        let mailer = FileMailer::new(dir.path().join("mail"), from).expect("mailer");
        let mail = Mail {
            to: "ana@leeds.gov.uk".into(),
            subject: "Hello".into(),
            text: "plain words".into(),
            html: "<p>marked up</p>".into(),
            unsubscribe: Some("https://hub.example/unsubscribe/t0k3n".into()),
        };
        mailer.send(&mail).await.expect("written");
        let file = std::fs::read_dir(dir.path().join("mail"))
            .expect("listed")
            .filter_map(Result::ok)
            .find(|entry| entry.path().extension().is_some_and(|e| e == "eml"))
            .expect("an .eml file");
        let text = std::fs::read_to_string(file.path()).expect("read");
        assert!(text.contains("To: ana@leeds.gov.uk") && text.contains("plain words"));
        assert!(text.contains("multipart/alternative") && text.contains("<p>marked up</p>"));
        assert!(text.contains("List-Unsubscribe: <https://hub.example/unsubscribe/t0k3n>"));
        assert!(text.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
    }
}
