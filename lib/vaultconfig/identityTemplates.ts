/** Shown in plans in place of the kubernetes auth mount accessor before the mount exists. */
export const ACCESSOR_PENDING = "<accessor: known after apply>";
