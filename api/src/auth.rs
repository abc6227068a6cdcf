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

/// What is wrong with an `Authorization` value that does not use the `Bearer` scheme, so the
/// client is told which scheme to use rather than that its token is bad. Nothing of the
/// credential itself is repeated back.
pub fn scheme_problem(value: &str) -> Option<String> {
    const USE: &str = "send `Authorization: Bearer <access token or API token>`";
    let value = value.trim();
    match value.split_once(' ') {
        _ if value.is_empty() => None,
        None => Some(format!("the Authorization header names no scheme: {USE}")),
        Some((scheme, _)) if scheme.eq_ignore_ascii_case("bearer") => None,
        Some((scheme, _))
            if scheme.len() <= 20 && scheme.chars().all(|c| c.is_ascii_alphabetic()) =>
        {
            Some(format!("the `{scheme}` scheme is not accepted: {USE}"))
        }
        Some(_) => Some(format!(
            "the Authorization header's scheme is not accepted: {USE}"
        )),
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
    use super::{bearer_token, scheme_problem};

    #[test]
    fn only_the_bearer_scheme_carries_a_token() {
        assert_eq!(bearer_token("Bearer abc"), Some("abc"));
        assert_eq!(bearer_token("bearer  abc "), Some("abc"));
        assert_eq!(bearer_token("Basic abc"), None);
        assert_eq!(bearer_token("Bearer "), None);
    }

    #[test]
    fn another_scheme_is_named_but_a_bare_credential_is_never_repeated() {
        let basic = scheme_problem("Basic dXNlcg==").expect("refused");
        assert!(
            basic.contains("`Basic`") && basic.contains("Bearer"),
            "{basic}"
        );
        let bare = scheme_problem("khub_secret").expect("refused");
        assert!(
            !bare.contains("khub_secret") && bare.contains("no scheme"),
            "{bare}"
        );
        assert_eq!(scheme_problem("bearer abc"), None);
        assert_eq!(scheme_problem(""), None);
    }
}
