// govuk-frontend ships no type declarations: the one component script the client starts.
declare module "govuk-frontend" {
  export class ServiceNavigation {
    constructor(root: Element);
  }
}
