// The policy workbench's back ends: what a draft rule set would have decided on history.
export * from './what-if';
