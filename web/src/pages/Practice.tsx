import { Link, useParams } from "react-router-dom";
import { useQuery } from "urql";
import { useMember } from "../api/session";
import { Loading, NotFound, When } from "../components/Loading";
import { PracticeStatus } from "../components/Tags";
import { PracticeDocument } from "../generated/graphql";
import { Adopt, Endorse } from "./PracticeActions";
import { Revisions } from "./Revisions";

const OUTCOME: Record<string, string> = {
  IN_PROGRESS: "In progress",
  SUCCESSFUL: "Successful",
  MIXED: "Mixed",
  UNSUCCESSFUL: "Unsuccessful",
};

export function Practice() {
  const slug = useParams().slug ?? "";
  const member = useMember();
  const [{ data, fetching, error }] = useQuery({ query: PracticeDocument, variables: { slug } });
  const practice = data?.practice;
  if (!fetching && !error && !practice) return <NotFound what="practice" />;
  if (!practice)
    return (
      <Loading fetching={fetching} error={error}>
        {null}
      </Loading>
    );
  const parts: [string, string][] = [
    ["Context", practice.contextHtml],
    ["Approach", practice.approachHtml],
    ["Outcomes", practice.outcomesHtml],
  ];
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <span className="govuk-caption-l">
          <PracticeStatus value={practice.status} /> {practice.organisation?.name}
        </span>
        <h1 className="govuk-heading-l">{practice.title}</h1>
        <p className="govuk-body-l">{practice.summary}</p>
        {practice.promotion && (
          <div className="govuk-inset-text">
            Promoted as practice worth repeating on <When at={practice.promotion.promotedAt} />
            {practice.promotion.reason === "ENDORSEMENTS"
              ? `, endorsed by ${practice.promotion.endorsingOrganisations} organisations.`
              : " by a facilitator."}
          </div>
        )}
        {parts.map(([heading, html]) => (
          <section key={heading}>
            <h2 className="govuk-heading-m">{heading}</h2>
            <div className="app-body govuk-!-margin-bottom-6" dangerouslySetInnerHTML={{ __html: html }} />
          </section>
        ))}
        <h2 className="govuk-heading-m">Evidence</h2>
        {practice.evidence.length === 0 ? (
          <p className="govuk-body">No evidence linked yet.</p>
        ) : (
          <ul className="govuk-list govuk-list--bullet">
            {practice.evidence.map((e) => (
              <li key={e.url}>
                <a className="govuk-link" href={e.url} rel="noopener noreferrer">
                  {e.title}
                </a>
              </li>
            ))}
          </ul>
        )}
        <Revisions slug={practice.slug} revisions={practice.revisions.nodes} />
      </div>
      <div className="govuk-grid-column-one-third">
        <dl className="app-facts">
          <Row label="Author">
            {practice.author ? (
              <Link className="govuk-link" to={`/people/${practice.author.handle}`}>
                {practice.author.displayName}
              </Link>
            ) : (
              "A former member"
            )}
          </Row>
          {practice.community && (
            <Row label="Community">
              <Link className="govuk-link" to={`/communities/${practice.community.slug}`}>
                {practice.community.name}
              </Link>
            </Row>
          )}
          {practice.serviceArea && <Row label="Service area">{practice.serviceArea}</Row>}
          {practice.tags.length > 0 && <Row label="Tags">{practice.tags.join(", ")}</Row>}
          <Row label="Endorsements">{practice.endorsementCount}</Row>
          <Row label="Adoptions">{practice.adoptionCount}</Row>
        </dl>
        {member && !practice.viewerIsAuthor && practice.status !== "DRAFT" && (
          <>
            <Endorse practiceId={practice.id} endorsed={practice.viewerHasEndorsed} />
            <Adopt practiceId={practice.id} />
          </>
        )}
        <h2 className="govuk-heading-m">Endorsed by</h2>
        <ul className="govuk-list govuk-list--spaced">
          {practice.endorsements.nodes.map((e, i) => (
            <li key={i}>
              <strong>{e.person?.displayName ?? "A former member"}</strong>
              {e.organisation && `, ${e.organisation.name}`}
              <br />
              <span className="govuk-body-s">“{e.comment}”</span>
            </li>
          ))}
        </ul>
        <h2 className="govuk-heading-m">Where it spread</h2>
        {practice.spreadTo.nodes.length === 0 ? (
          <p className="govuk-body">Not adopted elsewhere yet.</p>
        ) : (
          <ul className="govuk-list">
            {practice.spreadTo.nodes.map((o) => (
              <li key={o.id}>{o.name}</li>
            ))}
          </ul>
        )}
        <h2 className="govuk-heading-m">Adoptions</h2>
        <ul className="govuk-list govuk-list--spaced">
          {practice.adoptions.nodes.map((a, i) => (
            <li key={i}>
              <strong>{a.organisation?.name ?? "An organisation"}</strong>: {OUTCOME[a.outcome] ?? a.outcome}
              {a.notesHtml && (
                <div className="app-body govuk-body-s" dangerouslySetInnerHTML={{ __html: a.notesHtml }} />
              )}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="app-facts__row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
