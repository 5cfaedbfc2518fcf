// The chat panel of board.chat(): messages (with reasoning, steps and attachments), the pending interaction
// (a form, a single or multiple choice) and an input box. State lives in the kernel; this view only draws it
// and sends {type: "send", text} and {type: "answer", id, value}.

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function collapsible(summary, body, className) {
  const details = element("details", className);
  details.append(element("summary", "", summary), element("div", "flowlike-chat-collapsed", body));
  return details;
}

function attachmentView(attachment) {
  const box = element("div", "flowlike-chat-attachment");
  const url = attachment.url || "";
  if (url.startsWith("data:image/")) {
    const image = element("img");
    image.src = url;
    image.alt = attachment.name || "image";
    box.append(image);
  }
  box.append(element("div", "flowlike-chat-attachment-name", attachment.name || url || "attachment"));
  if (attachment.preview_text) box.append(element("pre", "", attachment.preview_text));
  return box;
}

function messageView(message) {
  const view = element("div", `flowlike-chat-message flowlike-chat-${message.role}`);
  view.dataset.testid = `chat-${message.role}`;
  if (message.reasoning) view.append(collapsible("Reasoning", message.reasoning, "flowlike-chat-reasoning"));
  for (const step of message.steps || []) {
    const body = [step.description, step.text].filter(Boolean).join("\n");
    const details = collapsible(step.title || `Step ${step.step_id}`, body, "flowlike-chat-step");
    details.dataset.testid = "chat-step";
    view.append(details);
  }
  view.append(element("div", "flowlike-chat-content", message.content));
  for (const attachment of message.attachments || []) view.append(attachmentView(attachment));
  return view;
}

function questionView(question, answer) {
  const box = element("div", "flowlike-chat-question");
  box.dataset.testid = "chat-question";
  box.append(element("div", "flowlike-chat-question-name", question.name), element("div", "", question.description));
  if (question.kind === "single_choice") {
    for (const option of question.options) {
      const button = element("button", "flowlike-chat-choice", option);
      button.onclick = () => answer(option);
      box.append(button);
    }
    if (question.allow_freeform) box.append(freeform(answer));
  } else if (question.kind === "multiple_choice") {
    const boxes = question.options.map((option) => {
      const label = element("label", "flowlike-chat-option");
      const check = element("input");
      check.type = "checkbox";
      check.value = option;
      label.append(check, document.createTextNode(" " + option));
      box.append(label);
      return check;
    });
    const submit = element("button", "flowlike-chat-submit", "Submit");
    submit.onclick = () => answer(boxes.filter((check) => check.checked).map((check) => check.value));
    box.append(submit);
  } else {
    box.append(freeform(answer));
  }
  return box;
}

function freeform(answer) {
  const row = element("div", "flowlike-chat-row");
  const input = element("textarea", "flowlike-chat-answer");
  const submit = element("button", "flowlike-chat-submit", "Submit");
  submit.onclick = () => answer(input.value);
  row.append(input, submit);
  return row;
}

function render({ model, el }) {
  const root = element("div", "flowlike-chat");
  root.dataset.testid = "flowlike-chat";
  const header = element("div", "flowlike-chat-title");
  const log = element("div", "flowlike-chat-log");
  const question = element("div");
  const row = element("div", "flowlike-chat-row");
  const input = element("textarea", "flowlike-chat-input");
  input.placeholder = "Message";
  const send = element("button", "flowlike-chat-send", "Send");
  row.append(input, send);
  root.append(header, log, question, row);
  el.append(root);

  const submit = () => {
    const text = input.value.trim();
    if (!text || model.get("busy")) return;
    model.send({ type: "send", text });
    input.value = "";
  };
  send.onclick = submit;
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      submit();
    }
  });
  const answer = (value) => model.send({ type: "answer", id: model.get("pending").id, value });

  const draw = () => {
    header.textContent = model.get("title");
    log.replaceChildren(...model.get("messages").map(messageView));
    log.scrollTop = log.scrollHeight;
    const pending = model.get("pending");
    question.replaceChildren(...(pending ? [questionView(pending, answer)] : []));
    send.disabled = model.get("busy");
  };
  model.on("change:messages", draw);
  model.on("change:pending", draw);
  model.on("change:busy", draw);
  model.on("change:title", draw);
  draw();
}

export default { render };
