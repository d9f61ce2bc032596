import { useEffect, useId, useRef, type ReactNode } from 'react';
import { Notice } from './states.tsx';

/*
 * A modal on the platform's own <dialog>: showModal() gives the focus trap, Escape, the inert page behind and
 * focus returning to the opener. (Radix's dialog was the first choice; its scroll lock injects a <style>
 * element, which the dashboard's CSP refuses.)
 */
export function Dialog({
  open,
  onOpenChange,
  title,
  description,
  children,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description?: string;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={description ? `${id}-description` : undefined}
      onClose={() => onOpenChange(false)}
      // A click on the backdrop lands on the <dialog> itself, outside its content box.
      onClick={(e) => {
        if (e.target === e.currentTarget) onOpenChange(false);
      }}
    >
      {open && (
        <div className="dialog-body">
          <h2 id={`${id}-title`} className="dialog-title">
            {title}
          </h2>
          {description && (
            <p id={`${id}-description`} className="dialog-description">
              {description}
            </p>
          )}
          {children}
          <button
            type="button"
            className="dialog-close"
            aria-label="Close"
            onClick={() => onOpenChange(false)}
          >
            ×
          </button>
        </div>
      )}
    </dialog>
  );
}

/** Are you sure? A destructive action behind Cancel, with the action's error shown in place. */
export function Confirm({
  open,
  onOpenChange,
  title,
  description,
  action,
  onConfirm,
  error,
  pending = false,
}: {
  open: boolean;
  onOpenChange: (o: boolean) => void;
  title: string;
  description?: string;
  action: string;
  onConfirm: () => void;
  error: Error | null;
  pending?: boolean;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={title} {...(description ? { description } : {})}>
      {error && <Notice tone="error">{error.message}</Notice>}
      <div className="dialog-actions">
        <button type="button" className="button button-quiet" onClick={() => onOpenChange(false)}>
          Cancel
        </button>
        <button type="button" className="button button-danger" onClick={onConfirm} disabled={pending}>
          {action}
        </button>
      </div>
    </Dialog>
  );
}
