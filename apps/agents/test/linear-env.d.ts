// What @chorus/linear-fake/global-setup provides to the tests (declared there too, for Node).
declare module "vitest" {
  export interface ProvidedContext {
    linearUrl: string;
    linearApiKey: string;
    linearWebhookSecret: string;
  }
}

export {};
