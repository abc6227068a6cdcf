//! sea-orm row types. They stay inside `infra`: a column rename never reaches the API.

pub mod organisation;
pub mod organisation_domain;
