import { useState } from "react";
import { Link } from "react-router-dom";
import { useQuery } from "urql";
import { Loading } from "../components/Loading";
import { LeaderboardDocument, type LeaderboardPeriod } from "../generated/graphql";

const PERIODS: [LeaderboardPeriod, string][] = [
  ["WEEK", "This week"],
  ["MONTH", "This month"],
  ["ALL_TIME", "All time"],
];

export function Leaderboard() {
  const [period, setPeriod] = useState<LeaderboardPeriod>("MONTH");
  const [{ data, fetching, error }] = useQuery({ query: LeaderboardDocument, variables: { period } });
  return (
    <>
      <h1 className="govuk-heading-l">Leaderboard</h1>
      <p className="govuk-body">Reputation earned by helping peers: endorsed practice, adoptions, accepted answers.</p>
      <div className="govuk-button-group">
        {PERIODS.map(([value, label]) => (
          <button
            key={value}
            type="button"
            aria-pressed={period === value}
            className={`govuk-button${period === value ? "" : " govuk-button--secondary"}`}
            onClick={() => setPeriod(value)}
          >
            {label}
          </button>
        ))}
      </div>
      <Loading fetching={fetching} error={error}>
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-table__caption--m">
            {PERIODS.find(([v]) => v === period)?.[1]}
          </caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">
                Rank
              </th>
              <th scope="col" className="govuk-table__header">
                Person
              </th>
              <th scope="col" className="govuk-table__header">
                Organisation
              </th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                Points
              </th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {(data?.leaderboard ?? []).map((s) => (
              <tr className="govuk-table__row" key={s.rank + (s.person?.id ?? "")}>
                <td className="govuk-table__cell">{s.rank}</td>
                <td className="govuk-table__cell">
                  {s.person ? (
                    <Link className="govuk-link" to={`/people/${s.person.handle}`}>
                      {s.person.displayName}
                    </Link>
                  ) : (
                    "A former member"
                  )}
                </td>
                <td className="govuk-table__cell">{s.person?.organisation?.name ?? ""}</td>
                <td className="govuk-table__cell govuk-table__cell--numeric">{s.points}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Loading>
    </>
  );
}
