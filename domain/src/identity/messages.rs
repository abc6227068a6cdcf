//! The e-mail identity sends. Each is written once in Markdown: the text part is the Markdown,
//! the HTML part its rendering. Nothing a stranger typed goes into a message (an address owner
//! must never receive a link someone else chose), only handles, whose alphabet is safe.

use crate::markdown;
use crate::ports::Mail;

/// Where a frontend serves the page that confirms an address (`?token=`).
pub const CONFIRM_EMAIL_PATH: &str = "/confirm-email";
/// Where a frontend serves the page that sets a new password (`?token=`).
pub const RESET_PASSWORD_PATH: &str = "/reset-password";
/// Where a frontend serves sign-in.
pub const SIGN_IN_PATH: &str = "/sign-in";

fn mail(to: &str, subject: &str, body: String) -> Mail {
    Mail {
        to: to.to_owned(),
        subject: subject.to_owned(),
        html: markdown::to_html(&body),
        text: body,
        unsubscribe: None,
    }
}

/// The code and link that prove an address.
pub fn confirm_address(to: &str, handle: &str, code: &str, link: &str) -> Mail {
    let body = format!(
        "Hello @{handle},\n\n\
         Your Knowledge Hub confirmation code is **{code}**.\n\n\
         Or confirm your address with this link: <{link}>\n\n\
         The code and the link work once, for 30 minutes. If you did not ask to join Knowledge \
         Hub, ignore this message: nothing is created until the address is confirmed.\n"
    );
    mail(to, &format!("Your Knowledge Hub code: {code}"), body)
}

/// Told to the owner of an address someone tried to register again.
pub fn already_registered(to: &str, sign_in: &str, reset: &str) -> Mail {
    let body = format!(
        "Hello,\n\n\
         Someone tried to register for Knowledge Hub with this e-mail address, which already \
         has an account.\n\n\
         If it was you, sign in: <{sign_in}>\n\n\
         Forgotten your password? Reset it: <{reset}>\n\n\
         If it was not you, you need do nothing: your account has not changed.\n"
    );
    mail(to, "You already have a Knowledge Hub account", body)
}

/// The link that sets a new password.
pub fn reset_password(to: &str, handle: &str, link: &str) -> Mail {
    let body = format!(
        "Hello @{handle},\n\n\
         Set a new Knowledge Hub password with this link: <{link}>\n\n\
         The link works once, for 30 minutes. Setting a new password signs you out everywhere. \
         If you did not ask for this, ignore this message: your password has not changed.\n"
    );
    mail(to, "Reset your Knowledge Hub password", body)
}

#[cfg(test)]
mod tests {
    use super::confirm_address;

    #[test]
    fn a_confirmation_carries_the_code_and_link_in_both_parts() {
        let mail = confirm_address(
            "a@b.org",
            "ana",
            "123456",
            "https://hub.example/confirm-email?token=t",
        );
        assert!(mail.subject.contains("123456"));
        for part in [&mail.text, &mail.html] {
            assert!(
                part.contains("123456") && part.contains("token=t"),
                "{part}"
            );
        }
        assert!(
            mail.html
                .contains("<a href=\"https://hub.example/confirm-email?token=t\"")
        );
    }
}
