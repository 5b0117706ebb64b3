// Upper bound per process type: a typo in a slider or API call must not launch
// a thousand instances. Raise it per installation when a team really needs more.
export const MAX_QUANTITY = 100;
