//! Relay global object identifiers: opaque to clients, `Type:uuid` inside.

use async_graphql::ID;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use khub_domain::DomainError;
use uuid::Uuid;

/// The node types that have global ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NodeKind {
    Organisation,
    Person,
    ApiToken,
    Community,
    Practice,
    Thread,
    Post,
    SavedSearch,
    Notification,
    Webhook,
    WebhookDelivery,
}

impl NodeKind {
    const ALL: [Self; 11] = [
        Self::Organisation,
        Self::Person,
        Self::ApiToken,
        Self::Community,
        Self::Practice,
        Self::Thread,
        Self::Post,
        Self::SavedSearch,
        Self::Notification,
        Self::Webhook,
        Self::WebhookDelivery,
    ];

    fn tag(self) -> &'static str {
        match self {
            Self::Organisation => "Organisation",
            Self::Person => "Person",
            Self::ApiToken => "ApiToken",
            Self::Community => "Community",
            Self::Practice => "Practice",
            Self::Thread => "Thread",
            Self::Post => "Post",
            Self::SavedSearch => "SavedSearch",
            Self::Notification => "Notification",
            Self::Webhook => "Webhook",
            Self::WebhookDelivery => "WebhookDelivery",
        }
    }

    fn from_tag(tag: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.tag() == tag)
    }
}

/// Encodes a global id.
pub fn encode(kind: NodeKind, id: Uuid) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{}:{}", kind.tag(), id.simple())))
}

/// Decodes a global id; anything malformed is `None` (and reads as "not found").
pub fn decode(id: &str) -> Option<(NodeKind, Uuid)> {
    let raw = URL_SAFE_NO_PAD.decode(id).ok()?;
    let text = std::str::from_utf8(&raw).ok()?;
    let (tag, uuid) = text.split_once(':')?;
    Some((NodeKind::from_tag(tag)?, Uuid::parse_str(uuid).ok()?))
}

/// Decodes a global id that must be of `kind`.
pub fn decode_as(kind: NodeKind, id: &str) -> Option<Uuid> {
    decode(id).filter(|(k, _)| *k == kind).map(|(_, uuid)| uuid)
}

/// Decodes the global id given as `argument`, which must be of `kind`. Anything else (a slug,
/// a malformed id, another type's id) is bad input that names the argument and the type it
/// expects: "communityId: expected a Community id". (An id of the right type for something
/// the reader may not see is still "not found", later.)
pub fn expect(kind: NodeKind, argument: &str, id: &str) -> Result<Uuid, DomainError> {
    decode_as(kind, id).ok_or_else(|| {
        let tag = kind.tag();
        let article = match tag.starts_with(['A', 'E', 'I', 'O', 'U']) {
            true => "an",
            false => "a",
        };
        DomainError::invalid(
            argument,
            "INVALID_ID",
            format!("expected {article} {tag} id"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_global_id_round_trips() {
        let uuid = Uuid::now_v7();
        let id = encode(NodeKind::Organisation, uuid);
        assert_eq!(decode(&id), Some((NodeKind::Organisation, uuid)));
        assert_eq!(decode_as(NodeKind::Organisation, &id), Some(uuid));
    }

    #[test]
    fn a_malformed_global_id_decodes_to_nothing() {
        for bad in [
            "",
            "!!!",
            "T3JnYW5pc2F0aW9u",
            &URL_SAFE_NO_PAD.encode("Nope:123"),
        ] {
            assert_eq!(decode(bad), None, "{bad}");
        }
    }
}
