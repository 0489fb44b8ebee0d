import { BilingualText } from '../bilingual-text';

/** A government department known to the platform, as declared in the departments registry. */
export interface Department {
  code: string;
  name: BilingualText;
  publishes: {
    /** Event types this department may publish. */
    eventTypes: string[];
    /** Lists it identifies (认定部门): only it may add to, remove from or repair them. */
    lists: string[];
  };
  /** The credit office (信用办): it assesses every department (利州方案 三(三)), so it reads every department's performance. */
  assessesDepartments?: boolean;
  credentials: {
    /** SHA-256 of the department's bearer token, hex; the token itself is never stored. */
    tokenSha256: string;
  };
}
