// The signed-in session as the API intends it: the short-lived access token only in memory,
// the refresh token (rotated on every use) in local storage so a reload keeps the member
// signed in. Every refresh goes through one promise at a time: a refresh token works once, and
// presenting a spent one ends the session.
import { useSyncExternalStore } from "react";
import { Client, fetchExchange } from "urql";
import { RefreshSessionDocument, type SignedInFragment } from "../generated/graphql";

export type Member = { id: string; handle: string; displayName: string };

type State = { member: Member | null; accessToken: string | null; expiresAt: number };

const REFRESH_KEY = "khub.refreshToken";
const MEMBER_KEY = "khub.member";
/** Refresh this long before the access token's end, so no request is sent with a dying one. */
const EARLY_MS = 5_000;

let state: State = { member: readMember(), accessToken: null, expiresAt: 0 };
const listeners = new Set<() => void>();
let refreshing: Promise<boolean> | null = null;

// The refresh itself needs no session: a bare client, so it never waits on its own refresh.
const bare = new Client({ url: "/graphql", exchanges: [fetchExchange], preferGetMethod: false });

function readMember(): Member | null {
  if (!localStorage.getItem(REFRESH_KEY)) return null;
  try {
    return JSON.parse(localStorage.getItem(MEMBER_KEY) ?? "null") as Member | null;
  } catch {
    return null;
  }
}

function set(next: State) {
  state = next;
  listeners.forEach((listener) => listener());
}

/** Keeps what a successful sign-in, confirmation or refresh answered. */
export function signedIn(payload: SignedInFragment) {
  if (!payload.accessToken || !payload.refreshToken || !payload.person) return;
  const member = {
    id: payload.person.id,
    handle: payload.person.handle,
    displayName: payload.person.displayName,
  };
  localStorage.setItem(REFRESH_KEY, payload.refreshToken);
  localStorage.setItem(MEMBER_KEY, JSON.stringify(member));
  const expiresAt = payload.expiresAt ? Date.parse(payload.expiresAt) : Date.now() + 60_000;
  set({ member, accessToken: payload.accessToken, expiresAt });
}

/** Forgets the session in this browser (the caller has ended it at the hub, or it is gone). */
export function signedOut() {
  localStorage.removeItem(REFRESH_KEY);
  localStorage.removeItem(MEMBER_KEY);
  set({ member: null, accessToken: null, expiresAt: 0 });
}

export function accessToken(): string | null {
  return state.accessToken;
}

/** True when a request should refresh first: signed in, and the access token is missing or ending. */
export function needsRefresh(): boolean {
  return state.member !== null && (!state.accessToken || state.expiresAt - Date.now() < EARLY_MS);
}

/** Exchanges the refresh token once, however many callers ask at the same moment. */
export function refresh(): Promise<boolean> {
  refreshing ??= exchange().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

async function exchange(): Promise<boolean> {
  const refreshToken = localStorage.getItem(REFRESH_KEY);
  if (!refreshToken) return false;
  const result = await bare.mutation(RefreshSessionDocument, { refreshToken }).toPromise();
  const payload = result.data?.refreshSession;
  if (payload?.accessToken) {
    signedIn(payload);
    return true;
  }
  // A network failure keeps the session for the next try; a refusal ends it.
  if (!result.error?.networkError) signedOut();
  return false;
}

/** An access token fit to send now, refreshed first if needed; null when signed out. */
export async function freshAccessToken(): Promise<string | null> {
  if (needsRefresh()) await refresh();
  return state.accessToken;
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The signed-in member, re-rendering on sign-in and sign-out. */
export function useMember(): Member | null {
  return useSyncExternalStore(subscribe, () => state.member);
}
