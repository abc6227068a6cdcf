//! Who is asking. Credentials arrive as `Authorization: Bearer …` on HTTP and as
//! `{"authorization": "Bearer …"}` in a websocket's `connection_init`.

use khub_domain::DomainError;
use khub_domain::access::{Actor, Credential};
use khub_domain::identity::Identity;
use khub_domain::rate_limit::RateSubject;

/// Resolves a request's credentials. No credentials means anonymous; credentials that cannot
/// be verified are refused, never quietly served as anonymous.
pub async fn authenticate(
    identity: &Identity,
    authorization: Option<&str>,
) -> Result<Actor, DomainError> {
    match authorization.map(str::trim) {
        None | Some("") => Ok(Actor::Anonymous),
        Some(value) => {
            let token = bearer_token(value).ok_or(DomainError::Unauthenticated)?;
            identity.authenticate(token).await
        }
    }
}

fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// Whose query budget a request spends: the token's, the person's, or the client address's.
pub fn rate_subject(actor: &Actor, address: Option<std::net::IpAddr>) -> RateSubject {
    match actor {
        Actor::Person {
            credential: Credential::ApiToken { token_id, .. },
            ..
        } => RateSubject::Token(*token_id),
        Actor::Person { person, .. } => RateSubject::Person(person.id),
        Actor::Anonymous => {
            RateSubject::Address(address.map_or_else(|| "unknown".into(), |a| a.to_string()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::bearer_token;

    #[test]
    fn only_the_bearer_scheme_carries_a_token() {
        assert_eq!(bearer_token("Bearer abc"), Some("abc"));
        assert_eq!(bearer_token("bearer  abc "), Some("abc"));
        assert_eq!(bearer_token("Basic abc"), None);
        assert_eq!(bearer_token("Bearer "), None);
    }
}
