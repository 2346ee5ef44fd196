import type {
  NewReviewInput,
  Review,
  ReviewDecision,
  ReviewDetail,
  ReviewList,
  ReviewStatus,
} from "@chorus/core";
import { type Http, seg } from "./http.ts";

const reviews = (id: string, rest = "") => `/api/workflows/${seg(id)}/reviews${rest}`;
const review = (id: string, reviewId: string, rest = "") => reviews(id, `/${seg(reviewId)}${rest}`);

/**
 * The review routes of the API, which {@link ChorusClient} inherits: a commit that a review gate
 * protects lands on a review branch (`commit` answers `review: { id, branch }`), and reviewers
 * list, read, comment on, approve or reject it here. Enough approvals merge it.
 */
export class ReviewMethods {
  readonly #http: Http;

  /** @param http the client's transport */
  constructor(http: Http) {
    this.#http = http;
  }

  /** A workflow's reviews, newest first, optionally only those of one `status`. */
  async listReviews(
    workflowId: string,
    options: { status?: ReviewStatus } = {},
  ): Promise<Review[]> {
    const res = await this.#http.send<ReviewList>({
      method: "GET",
      path: reviews(workflowId),
      query: options,
    });
    return res.body.reviews;
  }

  /** One review with its diff, from the merge-base with the protected branch to the branch head. */
  async getReview(workflowId: string, reviewId: string): Promise<ReviewDetail> {
    return (
      await this.#http.send<ReviewDetail>({ method: "GET", path: review(workflowId, reviewId) })
    ).body;
  }

  /**
   * Opens a review of an existing branch into `into` (default `main`); the opener counts as an
   * author of the change and cannot approve it. A branch under review already is a `ConflictError`.
   */
  async openReview(workflowId: string, input: NewReviewInput): Promise<Review> {
    return this.#post(reviews(workflowId), input);
  }

  /**
   * Approves the review branch's current head; with the approvals its gates require, it merges
   * (`status: "merged"`, `mergeVersion`). An author of the change is refused (`AuthError`, 403).
   */
  async approveReview(
    workflowId: string,
    reviewId: string,
    decision: ReviewDecision = {},
  ): Promise<Review> {
    return this.#post(review(workflowId, reviewId, "/approve"), decision);
  }

  /** Rejects a review: it closes and nothing merges. */
  async rejectReview(
    workflowId: string,
    reviewId: string,
    decision: ReviewDecision = {},
  ): Promise<Review> {
    return this.#post(review(workflowId, reviewId, "/reject"), decision);
  }

  /** Comments on a review, in any state. */
  async commentReview(workflowId: string, reviewId: string, body: string): Promise<Review> {
    return this.#post(review(workflowId, reviewId, "/comments"), { body });
  }

  async #post<T>(path: string, body: unknown): Promise<T> {
    return (await this.#http.send<T>({ method: "POST", path, body })).body;
  }
}
