/** The decider shape (libs/event-store), restated so test plumbing depends on nothing. */
interface Decider<Command, Event, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState: State;
}

/**
 * Decider tests that read like the flow they protect:
 *   given([requested, buildSucceeded]).when(markRolloutFailed(...)).then([deploymentFailed(...)])
 */
export const deciderSpec = <Command, Event, State>(decider: Decider<Command, Event, State>) => ({
  given: (history: Event[]) => ({
    when: (command: Command) => {
      const decide = () => decider.decide(command, history.reduce(decider.evolve, decider.initialState));
      return {
        then: (expected: Event[]) => expect(decide()).toEqual(expected),
        thenThrows: (error: string | RegExp | (new (...args: never[]) => Error)) => expect(decide).toThrow(error),
      };
    },
  }),
});

/** A workflow (process manager) turns an event into the commands it triggers. */
export type Workflow<Event, Command> = (event: Event) => Command[];

export const workflowSpec = <Event, Command>(workflow: Workflow<Event, Command>) => ({
  when: (event: Event) => ({
    then: (expected: Command[]) => expect(workflow(event)).toEqual(expected),
  }),
});
