/**
 * The undo list of a test: each component registers how to stop it as soon as it has started,
 * and `run` stops them all in reverse order, going on past failures, even when the test failed.
 */
export class Teardown {
  readonly #steps: Array<{ name: string; step: () => Promise<void> }> = [];

  add(name: string, step: () => Promise<void>): void {
    this.#steps.push({ name, step });
  }

  async run(): Promise<void> {
    const failures: Error[] = [];
    for (const { name, step } of this.#steps.reverse()) {
      try {
        await step();
      } catch (error) {
        failures.push(new Error(`teardown of ${name} failed: ${String(error)}`));
      }
    }
    this.#steps.length = 0;

    if (failures.length > 0) {
      throw new AggregateError(failures, failures.map((f) => f.message).join('; '));
    }
  }
}
