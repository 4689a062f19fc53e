// The runner's single write function: every observer hands ops to it; the recorder stamps and appends.
export type OpInput = { type: string } & Record<string, unknown>;
export type Emit = (op: OpInput) => void;
