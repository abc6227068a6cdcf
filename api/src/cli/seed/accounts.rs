//! The table `khub seed --demo` prints: every demo account, its organisation and its roles,
//! so a newcomer can sign in as each kind of person (the README carries the same table).

use khub_domain::community::DiscussionMode;

use super::DEMO_PASSWORD;
use super::data::{COMMUNITIES, ORGANISATIONS, PEOPLE};

/// The accounts as a Markdown table.
pub fn table() -> String {
    let mut lines = vec![
        format!("Demo accounts (password `{DEMO_PASSWORD}`):"),
        String::new(),
        "| e-mail | name | organisation | roles |".to_owned(),
        "|---|---|---|---|".to_owned(),
    ];
    for (handle, name, email, _, _, _, administers) in PEOPLE {
        lines.push(format!(
            "| {email} | {name} | {} | {} |",
            organisation_of(email),
            roles_of(handle, *administers).join("; ")
        ));
    }
    lines.join("\n")
}

fn organisation_of(email: &str) -> &'static str {
    let domain = email.rsplit_once('@').map_or("", |(_, domain)| domain);
    ORGANISATIONS
        .iter()
        .find(|(_, _, _, domains)| domains.contains(&domain))
        .map_or("none", |(_, name, _, _)| *name)
}

fn roles_of(handle: &str, administers: bool) -> Vec<String> {
    let mut roles = Vec::new();
    if administers {
        roles.push("organisation administrator (API tokens)".to_owned());
    }
    for community in COMMUNITIES {
        let mut kind = community.visibility.as_str().to_lowercase();
        if community.mode == DiscussionMode::Facilitated {
            kind.push_str(", facilitated");
        }
        let role = if community.owner == handle {
            "owner"
        } else if community.facilitators.contains(&handle) {
            "facilitator"
        } else if community.members.contains(&handle) {
            "member"
        } else if community.asking.contains(&handle) {
            "asked to join"
        } else if community.invited.contains(&handle) {
            "invited to"
        } else {
            continue;
        };
        roles.push(format!("{role} {} ({kind})", community.slug));
    }
    if roles.is_empty() {
        roles.push("no community yet".to_owned());
    }
    roles
}

#[cfg(test)]
mod tests {
    use super::table;
    use crate::cli::seed::data::PEOPLE;

    #[test]
    fn every_demo_person_is_listed_with_their_organisation_and_roles() {
        let table = table();
        for (_, _, email, ..) in PEOPLE {
            assert!(table.contains(email), "{email} missing from\n{table}");
        }
        assert!(
            table.contains("| amara.okafor@leeds.gov.uk | Amara Okafor | Leeds City Council |")
        );
        assert!(
            table.contains("owner homelessness-prevention (open)"),
            "{table}"
        );
        assert!(table.contains("facilitator"), "{table}");
    }
}
