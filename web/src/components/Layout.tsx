import { ServiceNavigation } from "govuk-frontend";
import { type ReactNode, useEffect, useRef } from "react";
import { Link, NavLink } from "react-router-dom";
import { useQuery, useSubscription } from "urql";
import { useMember } from "../api/session";
import { NotificationReceivedDocument, ViewerDocument } from "../generated/graphql";
import { SignOut } from "./SignOut";

function NavItem({ to, children }: { to: string; children: ReactNode }) {
  return (
    <li className="govuk-service-navigation__item">
      <NavLink className="govuk-service-navigation__link" to={to} end={to === "/"}>
        {children}
      </NavLink>
    </li>
  );
}

/** Notifications, with the unread count kept current by the live subscription. */
function NotificationsItem() {
  const [{ data }, again] = useQuery({ query: ViewerDocument });
  useSubscription({ query: NotificationReceivedDocument }, () => {
    again({ requestPolicy: "network-only" });
    return null;
  });
  const unread = data?.viewer?.unreadNotificationCount ?? 0;
  return (
    <NavItem to="/notifications">
      Notifications
      {unread > 0 && (
        <>
          {" "}
          <strong className="govuk-tag govuk-tag--red app-count">{unread}</strong>
          <span className="govuk-visually-hidden"> unread</span>
        </>
      )}
    </NavItem>
  );
}

/** The GOV.UK page template: skip link, header, service navigation, main, footer. */
export function Layout({ children }: { children: ReactNode }) {
  const member = useMember();
  const navigation = useRef<HTMLElement>(null);
  // GOV.UK Frontend's script folds the menu behind a "Menu" button on narrow screens.
  // It refuses an element it already started (React's strict mode runs effects twice).
  useEffect(() => {
    const root = navigation.current;
    if (root && !root.hasAttribute("data-govuk-service-navigation-init")) new ServiceNavigation(root);
  }, []);
  return (
    <>
      <a href="#main-content" className="govuk-skip-link">
        Skip to main content
      </a>
      <header className="govuk-header" data-module="govuk-header">
        <div className="govuk-header__container govuk-width-container">
          <div className="govuk-header__logo">
            <Link to="/" className="govuk-header__link govuk-header__link--homepage">
              <span className="govuk-header__logotype-text">Knowledge Hub</span>
            </Link>
          </div>
        </div>
      </header>
      <section
        className="govuk-service-navigation"
        aria-label="Service information"
        data-module="govuk-service-navigation"
        ref={navigation}
      >
        <div className="govuk-width-container">
          <div className="govuk-service-navigation__container">
            <nav aria-label="Menu" className="govuk-service-navigation__wrapper">
              <button
                type="button"
                className="govuk-service-navigation__toggle govuk-js-service-navigation-toggle"
                aria-controls="navigation"
                hidden
              >
                Menu
              </button>
              <ul className="govuk-service-navigation__list" id="navigation">
                <NavItem to="/">Home</NavItem>
                <NavItem to="/communities">Communities</NavItem>
                <NavItem to="/search">Search</NavItem>
                <NavItem to="/leaderboard">Leaderboard</NavItem>
                {member ? (
                  <>
                    <NavItem to="/practices/new">Write a practice</NavItem>
                    <NotificationsItem />
                    <NavItem to={`/people/${member.handle}`}>{member.displayName}</NavItem>
                    <li className="govuk-service-navigation__item">
                      <SignOut />
                    </li>
                  </>
                ) : (
                  <>
                    <NavItem to="/sign-in">Sign in</NavItem>
                    <NavItem to="/register">Create an account</NavItem>
                  </>
                )}
              </ul>
            </nav>
          </div>
        </div>
      </section>
      <div className="govuk-width-container">
        <main className="govuk-main-wrapper" id="main-content">
          {children}
        </main>
      </div>
      <footer className="govuk-footer">
        <div className="govuk-width-container">
          <div className="govuk-footer__meta">
            <div className="govuk-footer__meta-item govuk-footer__meta-item--grow">
              <h2 className="govuk-visually-hidden">Support links</h2>
              <ul className="govuk-footer__inline-list">
                <li className="govuk-footer__inline-list-item">
                  <a className="govuk-footer__link" href="/graphql">
                    GraphQL playground
                  </a>
                </li>
                <li className="govuk-footer__inline-list-item">
                  <a className="govuk-footer__link" href="/feeds/promoted">
                    Practice worth repeating (Atom feed)
                  </a>
                </li>
              </ul>
              <p className="govuk-body-s">Knowledge Hub: practitioners sharing what works.</p>
            </div>
          </div>
        </div>
      </footer>
    </>
  );
}
