// The dashboard's handful of building blocks (what shadcn/ui would generate, written by hand:
// its CLI cannot reach its registry here).
import { useId, useState, type ButtonHTMLAttributes, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from "react";
import { Check, Copy, Loader2 } from "lucide-react";
import { toast } from "sonner";
import { cn } from "../lib/cn";
import { formatCountdown, type Tone } from "../lib/format";
import { formMessage, type FormError } from "../lib/errors";
import { useNow } from "../lib/useNow";

type Variant = "primary" | "secondary" | "danger" | "ghost";

const variants: Record<Variant, string> = {
  primary: "bg-emerald-700 text-white hover:bg-emerald-800 dark:bg-emerald-700 dark:hover:bg-emerald-600",
  secondary:
    "border border-zinc-300 bg-white text-zinc-900 hover:bg-zinc-50 dark:border-zinc-600 dark:bg-zinc-800 dark:text-zinc-100 dark:hover:bg-zinc-700",
  danger: "bg-red-700 text-white hover:bg-red-800 dark:bg-red-700 dark:hover:bg-red-600",
  ghost: "text-zinc-700 hover:bg-zinc-100 dark:text-zinc-200 dark:hover:bg-zinc-800",
};

export function Button({
  variant = "primary",
  busy = false,
  className,
  children,
  disabled,
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant; busy?: boolean }) {
  return (
    <button
      type="button"
      {...props}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      className={cn(
        "inline-flex min-h-9 items-center justify-center gap-2 rounded-md px-3 py-1.5 text-sm font-medium whitespace-nowrap transition-colors",
        "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-emerald-600 disabled:cursor-not-allowed disabled:opacity-60",
        variants[variant],
        className,
      )}
    >
      {busy && <Loader2 className="size-4 animate-spin" aria-hidden />}
      {children}
    </button>
  );
}

const control =
  "block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm text-zinc-900 placeholder:text-zinc-400 " +
  "focus:border-emerald-600 focus:outline-2 focus:outline-emerald-600/30 dark:border-zinc-600 dark:bg-zinc-900 dark:text-zinc-100 " +
  "aria-[invalid=true]:border-red-600";

/** A labelled input with its hint and its error (a field violation from the server). */
export function Field({
  label,
  error,
  hint,
  className,
  ...props
}: InputHTMLAttributes<HTMLInputElement> & { label: string; error?: string; hint?: string }) {
  const id = useId();
  return (
    <div className={cn("space-y-1", className)}>
      <label htmlFor={id} className="block text-sm font-medium text-zinc-800 dark:text-zinc-200">
        {label}
      </label>
      <input
        id={id}
        {...props}
        aria-invalid={error ? true : undefined}
        aria-describedby={error || hint ? `${id}-note` : undefined}
        className={control}
      />
      {(error || hint) && (
        <p id={`${id}-note`} className={cn("text-xs", error ? "text-red-700 dark:text-red-400" : "text-zinc-500 dark:text-zinc-400")}>
          {error ?? hint}
        </p>
      )}
    </div>
  );
}

export function SelectField({
  label,
  error,
  children,
  className,
  ...props
}: SelectHTMLAttributes<HTMLSelectElement> & { label: string; error?: string; children: ReactNode }) {
  const id = useId();
  return (
    <div className={cn("space-y-1", className)}>
      <label htmlFor={id} className="block text-sm font-medium text-zinc-800 dark:text-zinc-200">
        {label}
      </label>
      <select id={id} {...props} aria-invalid={error ? true : undefined} className={control}>
        {children}
      </select>
      {error && <p className="text-xs text-red-700 dark:text-red-400">{error}</p>}
    </div>
  );
}

/** A set of checkboxes with a legend (scopes, event types). */
export function CheckboxGroup({
  legend,
  options,
  value,
  onChange,
  error,
}: {
  legend: string;
  options: { value: string; label: string }[];
  value: string[];
  onChange: (next: string[]) => void;
  error?: string;
}) {
  return (
    <fieldset className="space-y-1">
      <legend className="text-sm font-medium text-zinc-800 dark:text-zinc-200">{legend}</legend>
      <div className="flex flex-wrap gap-x-4 gap-y-1">
        {options.map((o) => (
          <label key={o.value} className="inline-flex items-center gap-2 text-sm text-zinc-800 dark:text-zinc-200">
            <input
              type="checkbox"
              className="size-4 accent-emerald-700"
              checked={value.includes(o.value)}
              onChange={(e) => onChange(e.target.checked ? [...value, o.value] : value.filter((v) => v !== o.value))}
            />
            {o.label}
          </label>
        ))}
      </div>
      {error && <p className="text-xs text-red-700 dark:text-red-400">{error}</p>}
    </fieldset>
  );
}

export function Card({ title, actions, children, className }: { title?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <section className={cn("rounded-lg border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-700 dark:bg-zinc-900", className)}>
      {(title || actions) && (
        <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
          {title && <h2 className="text-base font-semibold text-zinc-900 dark:text-zinc-100">{title}</h2>}
          {actions && <div className="flex flex-wrap gap-2">{actions}</div>}
        </div>
      )}
      {children}
    </section>
  );
}

const tones: Record<Tone, string> = {
  green: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900/60 dark:text-emerald-100",
  amber: "bg-amber-100 text-amber-900 dark:bg-amber-900/60 dark:text-amber-100",
  red: "bg-red-100 text-red-900 dark:bg-red-900/60 dark:text-red-100",
  gray: "bg-zinc-100 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200",
  blue: "bg-sky-100 text-sky-900 dark:bg-sky-900/60 dark:text-sky-100",
};

export function Badge({ tone, children, testId }: { tone: Tone; children: ReactNode; testId?: string }) {
  return (
    <span data-testid={testId} className={cn("inline-flex items-center self-start rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap", tones[tone])}>
      {children}
    </span>
  );
}

/** A sentence that says why something failed, in the place it failed. */
export function ErrorNote({ children }: { children?: ReactNode }) {
  if (!children) return null;
  return (
    <p role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
      {children}
    </p>
  );
}

/** A form's own error line: the server's message unless its fields say it all, and, when the
 * server asked us to wait (RetryInfo), how long. */
export function FormErrorNote({ error, shown, className }: { error: FormError | null; shown: string[]; className?: string }) {
  const message = formMessage(error, shown);
  if (!message) return null;
  return (
    <div className={className}>
      <ErrorNote>
        {message}
        {error?.retryAt !== undefined && <RetryCountdown at={error.retryAt} />}
      </ErrorNote>
    </div>
  );
}

function RetryCountdown({ at }: { at: number }) {
  const now = useNow();
  const left = (at - now) / 1000;
  return <span className="block">{left > 0 ? `Try again in ${formatCountdown(left)}.` : "You can try again now."}</span>;
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="py-6 text-center text-sm text-zinc-500 dark:text-zinc-400">{children}</p>;
}

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <p className="flex items-center justify-center gap-2 py-6 text-sm text-zinc-500 dark:text-zinc-400" role="status">
      <Loader2 className="size-4 animate-spin" aria-hidden /> {label}
    </p>
  );
}

/** A secret shown once, with a copy button. */
export function SecretOnce({ label, secret, onDone }: { label: string; secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div role="region" aria-label={label} className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 dark:border-amber-700 dark:bg-amber-950">
      <p className="text-sm font-medium text-amber-900 dark:text-amber-100">{label}: copy it now, it is not shown again.</p>
      <div className="flex flex-wrap items-center gap-2">
        <code data-testid="secret" className="min-w-0 flex-1 rounded bg-white px-2 py-1.5 font-mono text-sm break-all text-zinc-900 dark:bg-zinc-900 dark:text-zinc-100">
          {secret}
        </code>
        <Button
          variant="secondary"
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(secret);
              setCopied(true);
              toast.success("Copied");
            } catch {
              toast.error("Could not copy: select the text and copy it instead.");
            }
          }}
        >
          {copied ? <Check className="size-4" aria-hidden /> : <Copy className="size-4" aria-hidden />}
          {copied ? "Copied" : "Copy"}
        </Button>
        <Button variant="ghost" onClick={onDone}>
          Done
        </Button>
      </div>
    </div>
  );
}

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="mb-4 flex flex-wrap items-center justify-between gap-2">
      <h1 className="text-xl font-semibold text-zinc-900 dark:text-zinc-50">{title}</h1>
      {children && <div className="flex flex-wrap items-center gap-2">{children}</div>}
    </div>
  );
}

/** Classes for a column that phone-width screens leave out (its cells take the same class). */
export const wide = "hidden sm:table-cell";

/** A table that scrolls sideways on a narrow screen instead of overflowing the page. A heading
 * given as [label, className] passes the class to its column's header (`wide` hides it on phones). */
export function Table({ head, children, label }: { head: (string | [string, string])[]; children: ReactNode; label: string }) {
  return (
    <div className="-mx-4 overflow-x-auto px-4">
      <table className="w-full text-left text-sm" aria-label={label}>
        <thead>
          <tr className="border-b border-zinc-200 text-xs text-zinc-500 uppercase dark:border-zinc-700 dark:text-zinc-400">
            {head.map((h, i) => (
              <th key={i} scope="col" className={cn("py-2 pr-3 font-medium", typeof h === "string" ? undefined : h[1])}>
                {typeof h === "string" ? h : h[0]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 text-zinc-800 dark:divide-zinc-800 dark:text-zinc-200">{children}</tbody>
      </table>
    </div>
  );
}
